# syntax=docker/dockerfile:1
FROM alpine:3.19
RUN apk add --no-cache git
RUN --mount=type=secret,id=oauth.txt,target=/oauth.txt,required=true X=`cat /oauth.txt` && \
    GITHUB=https://$X:x-oauth-basic@github.com && cd /src && \
    git clone $GITHUB/acme/lib.git && \
    git clone $GITHUB/acme/app.git && \
    rm -rf lib
