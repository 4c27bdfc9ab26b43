FROM node:22-slim
ARG APP_HOME=/srv/web
WORKDIR $APP_HOME
COPY .npmrc $APP_HOME/
COPY package.json ./
RUN npm ci
