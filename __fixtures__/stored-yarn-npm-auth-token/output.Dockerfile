# syntax=docker/dockerfile:1
FROM node:22
COPY . .
RUN --mount=type=secret,id=npm_auth_token,env=NPM_AUTH_TOKEN YARN_NPM_AUTH_TOKEN="$NPM_AUTH_TOKEN" yarn install --immutable
