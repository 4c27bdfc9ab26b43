FROM alpine:3.20 AS sign
RUN apk add --no-cache openssl
WORKDIR /dist
COPY release.tar.gz .
COPY keys/signing-key.pem /keys/signing-key.pem
RUN openssl dgst -sha256 -sign /keys/signing-key.pem -out release.tar.gz.sig release.tar.gz
