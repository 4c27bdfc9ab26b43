# syntax=docker/dockerfile:1
FROM php:8.2-apache
COPY --from=composer:2 /usr/bin/composer /usr/bin/composer
COPY . /var/www/html
RUN chown -R www-data:www-data /var/www
RUN --mount=type=secret,id=auth.json,target=/var/www/.composer/auth.json,mode=0444,required=true su www-data -s /bin/bash -c "cd /var/www/html && composer install --no-dev"
