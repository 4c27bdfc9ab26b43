FROM node:22-slim
WORKDIR /app

# hadolint ignore=DL3045
COPY .npmrc ./

# unbake-ignore=hardcoded-secret reason=placeholder
ARG NPM_TOKEN

COPY package.json ./
RUN npm ci
