# syntax=docker/dockerfile:1
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json yarn.lock ./
RUN --mount=type=secret,id=yarnrc.yml,target=/app/.yarnrc.yml,required=true corepack enable && yarn install --immutable
COPY . .
CMD ["node", "server.js"]
