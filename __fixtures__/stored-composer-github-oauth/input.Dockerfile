FROM composer:2
ARG COMPOSER_GITHUB_TOKEN
RUN composer config -g github-oauth.github.com "$COMPOSER_GITHUB_TOKEN"
WORKDIR /app
COPY composer.json composer.lock ./
RUN composer install --no-dev --no-scripts
