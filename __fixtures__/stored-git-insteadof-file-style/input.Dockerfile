FROM golang:1.22
ARG GITLAB_TOKEN
WORKDIR /src
COPY . .
RUN git config --global url."https://oauth2:${GITLAB_TOKEN}@gitlab.com/".insteadOf "https://gitlab.com/" && \
    go mod download && \
    go build -o /app .
