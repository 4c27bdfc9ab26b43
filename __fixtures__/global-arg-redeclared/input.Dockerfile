ARG NODE_VERSION=20
ARG NPM_TOKEN
FROM node:${NODE_VERSION}-alpine
ARG NPM_TOKEN
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
CMD ["node", "index.js"]
