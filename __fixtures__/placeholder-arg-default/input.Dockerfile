FROM node:20
ARG GITHUB_TOKEN=__NO_TOKEN__
ARG composer_token=test
RUN npm run build -- --env.GITHUB_TOKEN=${GITHUB_TOKEN}
RUN composer config -g github-oauth.github.com "$composer_token" && composer install && rm -f /root/.composer/auth.json
