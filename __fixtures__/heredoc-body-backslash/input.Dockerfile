FROM node:20-alpine
ARG NPM_TOKEN
WORKDIR /app
COPY package.json package-lock.json ./
RUN <<EOF
npm ci --omit=dev \
  --no-audit
npm cache clean --force
EOF
CMD ["node", "index.js"]
