# syntax=docker/dockerfile:1
FROM alpine:3.19
RUN --mount=type=secret,id=git_token,env=GIT_TOKEN apk add --no-cache git && \
    git clone --branch main https://ci:$GIT_TOKEN@gitlab.com/acme/app.git /src && \
    cd /src && \
    make build && \
    rm -rf .git* && \
    apk del git
