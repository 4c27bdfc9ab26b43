FROM node:22-alpine AS build
ARG NPM_TOKEN
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci && npm run build

FROM node:22-alpine
COPY --from=build /app /app
WORKDIR /app
CMD ["node", "dist/main.js"]
