FROM alpine:3.19
RUN apk add --no-cache git
COPY oauth.txt /oauth.txt
RUN X=`cat /oauth.txt` && \
    GITHUB=https://$X:x-oauth-basic@github.com && \
    rm /oauth.txt && cd /src && \
    git clone $GITHUB/acme/lib.git && \
    git clone $GITHUB/acme/app.git && \
    rm -rf lib
