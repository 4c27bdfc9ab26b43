# syntax=docker/dockerfile:1
FROM alpine:3.20 AS creds

FROM node:20-alpine
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc,required=true npm ci --omit=dev
CMD ["node", "index.js"]
