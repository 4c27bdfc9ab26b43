FROM node:20-alpine
WORKDIR /app
ARG NPM_TOKEN
ENV NPM_TOKEN=$NPM_TOKEN
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
ENV NPM_TOKEN=
COPY . .
CMD ["node", "server.js"]
