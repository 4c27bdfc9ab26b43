FROM node:20-alpine
WORKDIR /app
COPY .npmrc package.json package-lock.json ./
RUN npm ci --omit=dev; shred -u .npmrc
CMD ["node", "index.js"]
