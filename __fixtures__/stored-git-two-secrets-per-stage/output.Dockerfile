# syntax=docker/dockerfile:1
FROM golang:1.22 AS deps
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0="url.https://${GITHUB_TOKEN}@github.com/.insteadOf" GIT_CONFIG_VALUE_0=https://github.com/ go mod download

FROM deps AS build
COPY . .
RUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN --mount=type=secret,id=gitlab_token,env=GITLAB_TOKEN GIT_CONFIG_COUNT=2 GIT_CONFIG_KEY_0="url.https://${GITHUB_TOKEN}@github.com/.insteadOf" GIT_CONFIG_VALUE_0=https://github.com/ GIT_CONFIG_KEY_1="url.https://oauth2:${GITLAB_TOKEN}@gitlab.com/.insteadOf" GIT_CONFIG_VALUE_1=https://gitlab.com/ go build -o /app ./cmd/app
