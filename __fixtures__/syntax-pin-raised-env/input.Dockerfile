# syntax=docker/dockerfile:1.4
FROM node:20-alpine
ARG NPM_TOKEN
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
