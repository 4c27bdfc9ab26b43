FROM php:8.2-apache
COPY --from=composer:2 /usr/bin/composer /usr/bin/composer
COPY . /var/www/html
COPY ./auth.json /var/www/.composer/
RUN chown -R www-data:www-data /var/www
RUN su www-data -s /bin/bash -c "cd /var/www/html && composer install --no-dev"
RUN rm /var/www/.composer/auth.json
