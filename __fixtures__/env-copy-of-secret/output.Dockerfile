# syntax=docker/dockerfile:1
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN --mount=type=secret,id=npm_token,env=NODE_AUTH_TOKEN npm ci --omit=dev

FROM gcr.io/distroless/nodejs20-debian12
COPY --from=deps /app/node_modules /app/node_modules
COPY . /app
CMD ["/app/server.js"]
