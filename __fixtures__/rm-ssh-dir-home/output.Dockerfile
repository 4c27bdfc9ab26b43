# syntax=docker/dockerfile:1
FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends git openssh-client \
 && rm -rf /var/lib/apt/lists/*
RUN --mount=type=ssh mkdir -p -m 0700 ~/.ssh && ssh-keyscan github.com >> ~/.ssh/known_hosts \
 && git clone --depth 1 git@github.com:acme/acme-sdk.git /opt/acme-sdk \
 && rm -rf ~/.ssh
RUN pip install --no-cache-dir /opt/acme-sdk
