# syntax=docker/dockerfile:1
FROM alpine:3.19
RUN --mount=type=secret,id=git_token,env=GIT_TOKEN git clone https://ci:$GIT_TOKEN@gitlab.com/acme/app.git && make -C app; rm -rf app/.git
