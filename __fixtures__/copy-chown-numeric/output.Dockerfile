# syntax=docker/dockerfile:1
FROM node:20-bookworm-slim
WORKDIR /home/node/app
COPY --chown=1000:1000 package.json package-lock.json ./
RUN --mount=type=secret,id=npmrc,target=/home/node/app/.npmrc,uid=1000,gid=1000,required=true npm ci --omit=dev && chown -R 1000:1000 node_modules
COPY --chown=1000:1000 . .
