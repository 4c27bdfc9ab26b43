FROM ruby:3.3-slim
WORKDIR /app
COPY . .
# Only so that Rails boots for assets:precompile: no credential.
ENV SECRET_KEY_BASE=dummy \
    DATABASE_URL=postgres://postgres:password@localhost/notreal
ENV GITHUB_TOKEN="replaceme" PASSWORD=mypassword
ENV API_KEY=<your-api-key> SLACK_TOKEN=**ChangeMe**
RUN bundle exec rails assets:precompile
RUN DATABASE_URL=postgres://app:changeme@localhost/app bundle exec rails db:prepare
CMD ["bundle", "exec", "puma"]
