FROM node:20-alpine
WORKDIR /app
ONBUILD COPY package.json package-lock.json .npmrc ./
ONBUILD RUN npm ci --omit=dev
ONBUILD COPY . .
CMD ["node", "index.js"]
