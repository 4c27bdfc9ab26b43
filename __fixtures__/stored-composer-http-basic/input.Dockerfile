FROM php:8.3-cli
ARG REPO_USER
ARG REPO_PASSWORD
RUN composer config --global http-basic.repo.example.com "$REPO_USER" "$REPO_PASSWORD" && composer install
