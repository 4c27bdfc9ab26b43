FROM composer:2
ARG GITHUB_TOKEN
ARG MAGENTO_PRIVATE_KEY
RUN composer config -g github-oauth.github.com $GITHUB_TOKEN
RUN composer install
