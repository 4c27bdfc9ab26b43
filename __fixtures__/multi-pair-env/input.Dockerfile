FROM node:20-alpine
ARG SENTRY_AUTH_TOKEN
ENV NODE_ENV=production \
    SENTRY_AUTH_TOKEN=${SENTRY_AUTH_TOKEN} \
    PORT=8080
WORKDIR /app
COPY . .
RUN npm run build && npx @sentry/cli sourcemaps upload --auth-token "$SENTRY_AUTH_TOKEN" --org acme ./dist
CMD ["node", "dist/server.js"]
