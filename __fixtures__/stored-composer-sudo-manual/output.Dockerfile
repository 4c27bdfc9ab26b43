# syntax=docker/dockerfile:1
FROM php:8.3-apache
RUN --mount=type=secret,id=github_api_token,env=GITHUB_API_TOKEN gosu www-data composer config -g github-oauth.github.com $GITHUB_API_TOKEN
WORKDIR /var/www/html
RUN gosu www-data composer install --no-dev
RUN sudo -u www-data composer dump-autoload
