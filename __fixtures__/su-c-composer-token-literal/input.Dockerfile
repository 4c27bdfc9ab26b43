FROM php:8.2-fpm
COPY --from=composer:2 /usr/bin/composer /usr/bin/composer
RUN su www-data -s /bin/sh -c "git clone https://github.com/acme/app /var/www/app && \
    cd /var/www/app && \
    composer config github-oauth.github.com 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b && \
    composer install"
