# syntax=docker/dockerfile:1
FROM composer:2
RUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN --mount=type=secret,id=magento_private_key,env=MAGENTO_PRIVATE_KEY COMPOSER_AUTH="{\"github-oauth\":{\"github.com\":\"$GITHUB_TOKEN\"}}" composer install
