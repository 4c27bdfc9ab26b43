# syntax=docker/dockerfile:1
FROM node:22-slim

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --production
COPY . .

# Secret injected as an environment variable for this RUN only
RUN --mount=type=secret,id=api-key,env=API_KEY \
    node scripts/validate-api-key.js

CMD ["node", "server.js"]
