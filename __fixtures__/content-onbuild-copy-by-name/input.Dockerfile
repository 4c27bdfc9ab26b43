FROM node:20-slim
WORKDIR /app
ONBUILD COPY .npmrc package.json package-lock.json ./
ONBUILD RUN npm ci --omit=dev
CMD ["node", "server.js"]
