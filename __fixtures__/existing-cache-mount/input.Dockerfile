FROM node:20-alpine
ARG NPM_TOKEN
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --prefer-offline --omit=dev
COPY . .
