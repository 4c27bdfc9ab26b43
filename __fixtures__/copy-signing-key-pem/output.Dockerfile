# syntax=docker/dockerfile:1
FROM alpine:3.20 AS sign
RUN apk add --no-cache openssl
WORKDIR /dist
COPY release.tar.gz .
RUN --mount=type=secret,id=signing-key.pem,target=/keys/signing-key.pem,required=true openssl dgst -sha256 -sign /keys/signing-key.pem -out release.tar.gz.sig release.tar.gz
