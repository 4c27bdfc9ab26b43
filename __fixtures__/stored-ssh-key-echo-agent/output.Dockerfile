# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN mkdir -p /root/.ssh
RUN --mount=type=ssh git clone git@github.com:acme/private.git /src
