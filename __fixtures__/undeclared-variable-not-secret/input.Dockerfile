FROM golang:1.22
WORKDIR /src
# GITHUB_TOKEN is set by no ARG or ENV: at build time it is empty, nothing secret is written.
RUN git config --global url."https://x-access-token:${GITHUB_TOKEN}@github.com/".insteadOf "https://github.com/"
RUN echo "//registry.npmjs.org/:_authToken=$NPM_TOKEN" > .npmrc
COPY . .
RUN go build -o /app .
