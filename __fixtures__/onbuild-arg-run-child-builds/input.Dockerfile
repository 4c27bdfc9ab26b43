FROM node:20-alpine
WORKDIR /app
ONBUILD ARG NPM_TOKEN
ONBUILD COPY package.json package-lock.json ./
ONBUILD RUN npm ci --omit=dev
ONBUILD ENV API_KEY=$API_KEY
ONBUILD COPY . .
CMD ["node", "index.js"]
