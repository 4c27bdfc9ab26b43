FROM alpine:3.20
ARG SSH_PRIVATE_KEY
RUN apk add --no-cache git openssh-client
RUN mkdir -p /root/.ssh && printf '%s\n' "$SSH_PRIVATE_KEY" > /root/.ssh/id_ed25519 && chmod 600 /root/.ssh/id_ed25519 && ssh-keyscan github.com >> /root/.ssh/known_hosts
RUN GIT_SSH_COMMAND='ssh -i /root/.ssh/id_ed25519 -o IdentitiesOnly=yes' git clone git@github.com:acme/private.git /src
