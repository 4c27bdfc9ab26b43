FROM node:20-alpine
WORKDIR /srv
COPY .npmrc package.json pnpm-lock.yaml ./
RUN corepack enable && pnpm install --frozen-lockfile --prod
COPY . .
CMD ["node", "main.js"]
