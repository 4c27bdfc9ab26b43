FROM golang:1.22
ARG GITHUB_TOKEN
WORKDIR /app
COPY . .
RUN test -n "${GITHUB_TOKEN}" && \
    git config --global url."https://${GITHUB_TOKEN}@github.com/".insteadOf "https://github.com/" || \
    true
RUN go test ./...
