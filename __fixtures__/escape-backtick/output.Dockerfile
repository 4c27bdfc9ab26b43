# syntax=docker/dockerfile:1
# escape=`
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npmrc,target=/app/.npmrc,required=true npm ci --omit=dev `
    && npm cache clean --force
COPY . .
