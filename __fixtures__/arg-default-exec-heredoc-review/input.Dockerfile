# syntax=docker/dockerfile:1
FROM alpine:3.20
ARG DEPLOY_TOKEN=changeme
RUN ["/bin/sh", "-c", "./deploy --token $DEPLOY_TOKEN"]
RUN <<EOF
./deploy --token $DEPLOY_TOKEN
EOF
RUN ./deploy --token "$DEPLOY_TOKEN"
