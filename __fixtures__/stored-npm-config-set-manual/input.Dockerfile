FROM node:22
ARG NPM_TOKEN
RUN npm config set //registry.npmjs.org/:_authToken "$NPM_TOKEN"
COPY . .
RUN npm ci
