# syntax=docker/dockerfile:1
FROM node:20-alpine
WORKDIR /srv
COPY package.json pnpm-lock.yaml ./
RUN --mount=type=secret,id=npmrc,target=/srv/.npmrc,required=true corepack enable && pnpm install --frozen-lockfile --prod
COPY . .
CMD ["node", "main.js"]
