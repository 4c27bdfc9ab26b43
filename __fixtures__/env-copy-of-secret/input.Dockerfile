FROM node:20-bookworm-slim AS deps
ARG NPM_TOKEN
ENV NODE_AUTH_TOKEN=${NPM_TOKEN}
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev

FROM gcr.io/distroless/nodejs20-debian12
COPY --from=deps /app/node_modules /app/node_modules
COPY . /app
CMD ["/app/server.js"]
