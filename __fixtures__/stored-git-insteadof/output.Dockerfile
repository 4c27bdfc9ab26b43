# syntax=docker/dockerfile:1
FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0="url.https://${GITHUB_TOKEN}@github.com/.insteadOf" GIT_CONFIG_VALUE_0=https://github.com/ go mod download
COPY . .
RUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0="url.https://${GITHUB_TOKEN}@github.com/.insteadOf" GIT_CONFIG_VALUE_0=https://github.com/ CGO_ENABLED=0 go build -o /app ./cmd/app
