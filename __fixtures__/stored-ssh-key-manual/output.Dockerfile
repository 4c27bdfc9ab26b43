# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN --mount=type=secret,id=ssh_private_key,env=SSH_PRIVATE_KEY mkdir -p /root/.ssh && echo "$SSH_PRIVATE_KEY" > /root/.ssh/id_rsa && chmod 600 /root/.ssh/id_rsa
RUN git clone git@github.com:acme/private.git /src
