# syntax=docker/dockerfile:1
FROM node:20-alpine
WORKDIR /app
ONBUILD COPY package.json package-lock.json ./
ONBUILD RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci --omit=dev
ONBUILD COPY . .
CMD ["node", "index.js"]
