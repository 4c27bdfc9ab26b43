FROM php:8.2-fpm
WORKDIR /var/www/app
COPY . .
COPY build/.env /var/www/app/
RUN cd /var/www/app && php -r 'echo "ok";'
RUN rm /var/www/app/.env
COPY build/production_env /var/www/app/.env
CMD ["php-fpm"]
