# syntax=docker/dockerfile:1
FROM debian:12
RUN apt-get update && apt-get install -y git openssh-client
RUN --mount=type=secret,id=deploy.key,target=/root/.ssh/deploy.key,required=true /bin/bash -c ' \
    GIT_SSH_COMMAND="ssh -i ~/.ssh/deploy.key -o StrictHostKeyChecking=no" git clone git@bitbucket.org:acme/app.git /app \
    && rm -rf /app/.git'
