# syntax=docker/dockerfile:1
FROM node:22-slim
WORKDIR /app

COPY package.json ./
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN --mount=type=secret,id=npmrc,target=/app/.npmrc,required=true npm ci
