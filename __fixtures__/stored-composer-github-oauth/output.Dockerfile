# syntax=docker/dockerfile:1
FROM composer:2
WORKDIR /app
COPY composer.json composer.lock ./
RUN --mount=type=secret,id=composer_github_token,env=COMPOSER_GITHUB_TOKEN COMPOSER_AUTH="{\"github-oauth\":{\"github.com\":\"$COMPOSER_GITHUB_TOKEN\"}}" composer install --no-dev --no-scripts
