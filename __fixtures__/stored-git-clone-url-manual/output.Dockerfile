# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN git clone https://${GITHUB_TOKEN}@github.com/acme/private.git /src
RUN cd /src && git pull
