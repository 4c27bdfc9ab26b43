FROM alpine:3.19
ARG GIT_TOKEN
RUN apk add --no-cache git && \
    git clone --branch main https://ci:$GIT_TOKEN@gitlab.com/acme/app.git /src && \
    cd /src && \
    make build && \
    rm -rf .git* && \
    apk del git
