# syntax=docker/dockerfile:1
FROM golang:1.22
WORKDIR /src
COPY . .
RUN --mount=type=secret,id=gitlab_token,env=GITLAB_TOKEN GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0="url.https://oauth2:${GITLAB_TOKEN}@gitlab.com/.insteadOf" GIT_CONFIG_VALUE_0=https://gitlab.com/ go mod download && \
    GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0="url.https://oauth2:${GITLAB_TOKEN}@gitlab.com/.insteadOf" GIT_CONFIG_VALUE_0=https://gitlab.com/ go build -o /app .
