FROM golang:1.22 AS deps
ARG GITHUB_TOKEN
RUN git config --global url."https://${GITHUB_TOKEN}@github.com/".insteadOf "https://github.com/"
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download

FROM deps AS build
ARG GITLAB_TOKEN
RUN git config --global url."https://oauth2:${GITLAB_TOKEN}@gitlab.com/".insteadOf "https://gitlab.com/"
COPY . .
RUN go build -o /app ./cmd/app
