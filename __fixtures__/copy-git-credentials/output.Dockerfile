# syntax=docker/dockerfile:1
FROM golang:1.22-bookworm AS build
ENV GOPRIVATE=github.com/acme/*
RUN --mount=type=secret,id=git-credentials,target=/root/.git-credentials,required=true git config --global credential.helper store \
 && git clone https://github.com/acme/platform-sdk.git /go/src/platform-sdk
WORKDIR /go/src/platform-sdk
RUN go build -o /usr/local/bin/sdk ./cmd/sdk
