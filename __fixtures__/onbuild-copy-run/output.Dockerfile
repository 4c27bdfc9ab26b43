FROM node:20-alpine
WORKDIR /app
ONBUILD COPY package.json package-lock.json ./
ONBUILD RUN --mount=type=secret,id=npmrc,target=/app/.npmrc,required=true npm ci --omit=dev
ONBUILD COPY . .
CMD ["node", "index.js"]
