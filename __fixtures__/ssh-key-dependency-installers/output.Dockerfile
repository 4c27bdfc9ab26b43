# syntax=docker/dockerfile:1
FROM php:8.2-cli
RUN apt-get update && apt-get install -y git openssh-client nodejs npm && mkdir -p /root/.ssh
COPY build/ssh_config /root/.ssh/config
RUN --mount=type=secret,id=id_rsa,target=/root/.ssh/bitbucket_rsa,required=true git clone git@bitbucket.org:acme/app.git /app
RUN --mount=type=secret,id=id_rsa,target=/root/.ssh/bitbucket_rsa,required=true cd /app && composer install --no-scripts
RUN --mount=type=secret,id=id_rsa,target=/root/.ssh/bitbucket_rsa,required=true cd /app && npm install
RUN cd /app && php artisan key:generate
