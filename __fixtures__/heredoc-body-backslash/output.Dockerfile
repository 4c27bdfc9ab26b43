# syntax=docker/dockerfile:1
FROM node:20-alpine
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN <<EOF
npm ci --omit=dev \
  --no-audit
npm cache clean --force
EOF
CMD ["node", "index.js"]
