# syntax=docker/dockerfile:1
FROM ruby:3.3
COPY Gemfile Gemfile.lock ./
RUN --mount=type=secret,id=bundle_token,env=BUNDLE_TOKEN BUNDLE_GEMS__CONTRIBSYS__COM="x-access-token:${BUNDLE_TOKEN}" bundle install
