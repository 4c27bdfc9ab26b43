# syntax=docker/dockerfile:1
FROM ubuntu:22.04
RUN --mount=type=secret,id=ssh_key,env=SSH_KEY echo "${SSH_KEY}" >> /root/.ssh/authorized_keys
RUN --mount=type=secret,id=ssh_key,env=SSH_KEY ./deploy.sh --key "$SSH_KEY"
