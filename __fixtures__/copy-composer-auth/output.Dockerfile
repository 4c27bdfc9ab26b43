# syntax=docker/dockerfile:1
FROM composer:2 AS vendor
WORKDIR /app
COPY composer.json composer.lock ./
RUN --mount=type=secret,id=auth.json,target=/app/auth.json,required=true composer install --no-dev --no-scripts --prefer-dist

FROM php:8.3-fpm-alpine
COPY --from=vendor /app/vendor /var/www/html/vendor
COPY . /var/www/html
