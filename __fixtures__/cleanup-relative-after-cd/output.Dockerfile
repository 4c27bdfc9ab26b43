# syntax=docker/dockerfile:1
FROM debian:12
RUN apt-get update && apt-get install -y git openssh-client && mkdir /root/.ssh
RUN cd /root/.ssh/ && ls -la
RUN --mount=type=secret,id=id_rsa,target=/root/.ssh/bitbucket_rsa,required=true GIT_SSH_COMMAND="ssh -i /root/.ssh/bitbucket_rsa" git clone git@bitbucket.org:acme/app.git /app && rm -rf /app/.git
RUN cd /tmp && rm -f bitbucket_rsa
RUN cd /root
