FROM php:8.2-fpm
WORKDIR /var/www/app
COPY . .
RUN cd /var/www/app && php -r 'echo "ok";'
CMD ["php-fpm"]
