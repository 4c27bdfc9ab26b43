# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN apk add --no-cache s3cmd
RUN --mount=type=secret,id=s3cfg,target=/root/.s3cfg,required=true s3cmd get s3://acme/config.tgz /opt/config.tgz
