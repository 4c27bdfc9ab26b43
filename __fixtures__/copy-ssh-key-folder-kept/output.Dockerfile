# syntax=docker/dockerfile:1
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends git openssh-client
RUN mkdir -p /home/app/.ssh && chown 1000:1000 /home/app/.ssh
RUN printf "Host github.com\n  StrictHostKeyChecking accept-new\n" > /home/app/.ssh/config
USER app
RUN --mount=type=ssh,uid=1000,gid=1000 git clone git@github.com:acme/tools.git /home/app/tools
