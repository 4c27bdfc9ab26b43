FROM node:22
ARG NPM_AUTH_TOKEN
RUN yarn config set npmAuthToken "$NPM_AUTH_TOKEN"
COPY . .
RUN yarn install --immutable
