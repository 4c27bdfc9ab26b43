# syntax=docker/dockerfile:1
FROM node:22-slim
WORKDIR /app
COPY package.json /tmp/build/
RUN --mount=type=secret,id=npmrc,target=/tmp/build/.npmrc,required=true --mount=type=secret,id=npmrc,target=/root/.npmrc,required=true cp /tmp/build/package.json . && npm ci
