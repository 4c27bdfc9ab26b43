FROM debian:12
RUN apt-get update && apt-get install -y git openssh-client && mkdir /root/.ssh
COPY build/id_rsa /root/.ssh/bitbucket_rsa
RUN cd /root/.ssh/ && chmod 400 bitbucket_rsa && ls -la
RUN GIT_SSH_COMMAND="ssh -i /root/.ssh/bitbucket_rsa" git clone git@bitbucket.org:acme/app.git /app && rm -rf /app/.git
RUN cd /tmp && rm -f bitbucket_rsa
RUN cd /root && rm .ssh/bitbucket_rsa
