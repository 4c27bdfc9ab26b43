# syntax=docker/dockerfile:1
FROM node:20
RUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN export GITHUB_TOKEN="${GITHUB_TOKEN:-__NO_TOKEN__}" && npm run build -- --env.GITHUB_TOKEN=${GITHUB_TOKEN}
RUN --mount=type=secret,id=composer_token,env=composer_token export composer_token="${composer_token:-test}" && COMPOSER_AUTH="{\"github-oauth\":{\"github.com\":\"$composer_token\"}}" composer install && rm -f /root/.composer/auth.json
