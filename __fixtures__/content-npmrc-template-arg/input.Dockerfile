FROM node:20-slim
ARG NPM_TOKEN
WORKDIR /app
COPY .npmrc package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
CMD ["node", "server.js"]
