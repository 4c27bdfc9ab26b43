FROM php:8.2-cli
RUN apt-get update && apt-get install -y git openssh-client nodejs npm && mkdir -p /root/.ssh
COPY build/id_rsa /root/.ssh/bitbucket_rsa
COPY build/ssh_config /root/.ssh/config
RUN git clone git@bitbucket.org:acme/app.git /app
RUN cd /app && composer install --no-scripts
RUN cd /app && npm install
RUN cd /app && php artisan key:generate
