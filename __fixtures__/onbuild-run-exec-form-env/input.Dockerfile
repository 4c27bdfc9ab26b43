FROM node:20-alpine
WORKDIR /app
ONBUILD ARG NPM_TOKEN
ONBUILD COPY package.json package-lock.json ./
ONBUILD RUN npm ci --omit=dev
ONBUILD RUN ["sh", "-c", "npm run prepare-ci --token=$NPM_TOKEN"]
