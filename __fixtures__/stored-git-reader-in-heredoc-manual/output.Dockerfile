# syntax=docker/dockerfile:1
FROM golang:1.22
RUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN git config --global url."https://${GITHUB_TOKEN}@github.com/".insteadOf "https://github.com/"
RUN <<EOT
go mod download
EOT
