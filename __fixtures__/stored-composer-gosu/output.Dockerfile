# syntax=docker/dockerfile:1
FROM php:8.3-apache
WORKDIR /var/www/html
RUN --mount=type=secret,id=github_api_token,env=GITHUB_API_TOKEN COMPOSER_AUTH="{\"github-oauth\":{\"github.com\":\"$GITHUB_API_TOKEN\"}}" gosu www-data composer install --no-dev
