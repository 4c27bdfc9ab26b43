FROM node:20-bookworm-slim
WORKDIR /home/node/app
COPY --chown=node:node package.json package-lock.json .npmrc ./
USER node
RUN npm ci --omit=dev
COPY --chown=node:node . .
CMD ["node", "server.js"]
