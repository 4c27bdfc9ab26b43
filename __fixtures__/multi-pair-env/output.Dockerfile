# syntax=docker/dockerfile:1
FROM node:20-alpine
ENV NODE_ENV=production \
    PORT=8080
WORKDIR /app
COPY . .
RUN --mount=type=secret,id=sentry_auth_token,env=SENTRY_AUTH_TOKEN npm run build && npx @sentry/cli sourcemaps upload --auth-token "$SENTRY_AUTH_TOKEN" --org acme ./dist
CMD ["node", "dist/server.js"]
