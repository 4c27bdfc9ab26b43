FROM debian:12
RUN apt-get update && apt-get install -y git openssh-client
ADD ./deploy.key /root/.ssh/deploy.key
RUN /bin/bash -c ' \
    chmod 600 ~/.ssh/deploy.key \
    && GIT_SSH_COMMAND="ssh -i ~/.ssh/deploy.key -o StrictHostKeyChecking=no" git clone git@bitbucket.org:acme/app.git /app \
    && rm -rf /app/.git'
RUN rm -f /root/.ssh/deploy.key
