# syntax=docker/dockerfile:1
FROM php:8.3-cli
ARG REPO_USER
RUN --mount=type=secret,id=repo_password,env=REPO_PASSWORD COMPOSER_AUTH="{\"http-basic\":{\"repo.example.com\":{\"username\":\"$REPO_USER\",\"password\":\"$REPO_PASSWORD\"}}}" composer install
