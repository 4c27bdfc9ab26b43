FROM node:20-bookworm-slim
WORKDIR /home/node/app
COPY --chown=1000:1000 package.json package-lock.json ./
COPY --chown=1000:1000 .npmrc ./
RUN npm ci --omit=dev && chown -R 1000:1000 node_modules
COPY --chown=1000:1000 . .
