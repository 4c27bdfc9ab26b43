# syntax=docker/dockerfile:1
FROM golang:1.22
WORKDIR /app
COPY . .
RUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN test -n "${GITHUB_TOKEN}" && \
    git config --global url."https://${GITHUB_TOKEN}@github.com/".insteadOf "https://github.com/" || \
    true
RUN go test ./...
