FROM node:20-alpine
ARG NPM_TOKEN
WORKDIR /app
# unbake-ignore
COPY .npmrc ./
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
