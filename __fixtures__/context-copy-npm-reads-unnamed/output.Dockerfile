# syntax=docker/dockerfile:1
FROM node:22-slim
COPY . /src
WORKDIR /src
RUN --mount=type=secret,id=npmrc,target=/src/.npmrc npm ci
RUN --mount=type=secret,id=npmrc,target=/src/.npmrc npm run build

FROM node:22-slim
COPY --from=0 /src/dist /app
CMD ["node", "/app/server.js"]
