# syntax=docker/dockerfile:1
FROM golang:1.22
RUN --mount=type=secret,id=gitlab_token,env=GITLAB_TOKEN git config --global url."https://oauth2:${GITLAB_TOKEN}@gitlab.com/".insteadOf "https://gitlab.com/"
RUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0="url.https://${GITHUB_TOKEN}@github.com/.insteadOf" GIT_CONFIG_VALUE_0=https://github.com/ go mod download
