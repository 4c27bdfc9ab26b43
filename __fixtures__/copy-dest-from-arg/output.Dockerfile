# syntax=docker/dockerfile:1
FROM node:22-slim
ARG APP_HOME=/srv/web
WORKDIR $APP_HOME
COPY package.json ./
RUN --mount=type=secret,id=npmrc,target=/srv/web/.npmrc,required=true npm ci
