FROM node:20-slim
WORKDIR /app
ONBUILD COPY package.json package-lock.json ./
ONBUILD RUN --mount=type=secret,id=npmrc,target=/app/.npmrc,required=true npm ci --omit=dev
CMD ["node", "server.js"]
