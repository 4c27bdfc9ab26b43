FROM php:8.3-apache
ARG GITHUB_API_TOKEN
RUN gosu www-data composer config -g github-oauth.github.com $GITHUB_API_TOKEN
WORKDIR /var/www/html
RUN gosu www-data composer install --no-dev
