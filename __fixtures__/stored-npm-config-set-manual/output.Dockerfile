# syntax=docker/dockerfile:1
FROM node:22
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm config set //registry.npmjs.org/:_authToken "$NPM_TOKEN"
COPY . .
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci
