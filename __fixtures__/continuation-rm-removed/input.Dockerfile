FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY .npmrc /root/.npmrc
RUN npm ci --omit=dev \
    && rm -f /root/.npmrc \
    && npm cache clean --force
COPY . .
CMD ["node", "server.js"]
