FROM ruby:3.3
ARG BUNDLE_TOKEN
RUN bundle config set --global gems.contribsys.com "x-access-token:${BUNDLE_TOKEN}"
COPY Gemfile Gemfile.lock ./
RUN bundle install
