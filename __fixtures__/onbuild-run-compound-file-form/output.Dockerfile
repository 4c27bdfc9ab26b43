FROM node:20-alpine
WORKDIR /app
ONBUILD COPY package.json package-lock.json ./
ONBUILD RUN --mount=type=secret,id=npm_token export NPM_TOKEN="$(cat /run/secrets/npm_token)" && npm ci --omit=dev
ONBUILD RUN --mount=type=secret,id=npm_token export NPM_TOKEN="$(cat /run/secrets/npm_token)" && if [ -f .npmrc.ci ]; then npm run prepare-ci; fi
