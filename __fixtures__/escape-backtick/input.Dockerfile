# escape=`
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev `
    && rm -f .npmrc `
    && npm cache clean --force
COPY . .
