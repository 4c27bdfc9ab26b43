FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json yarn.lock .yarnrc.yml ./
RUN corepack enable && yarn install --immutable
COPY . .
CMD ["node", "server.js"]
