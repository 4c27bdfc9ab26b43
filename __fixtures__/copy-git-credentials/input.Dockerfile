FROM golang:1.22-bookworm AS build
ENV GOPRIVATE=github.com/acme/*
COPY .git-credentials /root/.git-credentials
RUN git config --global credential.helper store \
 && git clone https://github.com/acme/platform-sdk.git /go/src/platform-sdk
WORKDIR /go/src/platform-sdk
RUN go build -o /usr/local/bin/sdk ./cmd/sdk
