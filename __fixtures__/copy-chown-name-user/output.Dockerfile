# syntax=docker/dockerfile:1
FROM node:20-bookworm-slim
WORKDIR /home/node/app
COPY --chown=node:node package.json package-lock.json ./
USER node
RUN --mount=type=secret,id=npmrc,target=/home/node/app/.npmrc,mode=0444,required=true npm ci --omit=dev
COPY --chown=node:node . .
CMD ["node", "server.js"]
