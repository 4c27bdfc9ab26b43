FROM node:20-alpine
WORKDIR /app
ONBUILD COPY package.json package-lock.json ./
ONBUILD RUN --mount=type=secret,id=npm_token export NPM_TOKEN="$(cat /run/secrets/npm_token)" && npm ci --omit=dev
ONBUILD RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN ["sh", "-c", "npm run prepare-ci --token=$NPM_TOKEN"]
