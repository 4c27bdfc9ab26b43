# syntax=docker/dockerfile:1
FROM node:22-slim
WORKDIR /app
COPY . .
RUN --mount=type=secret,id=credentials.json,target=/app/config/credentials.json node scripts/migrate.js --credentials config/credentials.json
RUN node scripts/build.js
