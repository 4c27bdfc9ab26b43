# syntax=docker/dockerfile:1
FROM node:20-alpine AS base
WORKDIR /app
COPY package.json package-lock.json ./

FROM base AS deps
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci --omit=dev

FROM base AS build
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci && npm run build
