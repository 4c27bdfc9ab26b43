FROM node:20-alpine
ARG NPM_TOKEN="" NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
ENV NODE_ENV=$NODE_ENV
