# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN apk add --no-cache git openssh-client
RUN --mount=type=ssh ssh-keyscan gitlab.acme.io >> /etc/ssh/ssh_known_hosts \
 && git clone git@gitlab.acme.io:ops/ansible-roles.git /opt/roles
