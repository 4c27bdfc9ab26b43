# syntax=docker/dockerfile:1
FROM node:20-slim
WORKDIR /app
COPY .npmrc package.json package-lock.json ./
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci --omit=dev
COPY . .
CMD ["node", "server.js"]
