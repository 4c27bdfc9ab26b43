FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends git openssh-client
COPY --chown=1000:1000 deploy_key /home/app/.ssh/id_ed25519
RUN printf "Host github.com\n  StrictHostKeyChecking accept-new\n" > /home/app/.ssh/config
USER app
RUN git clone git@github.com:acme/tools.git /home/app/tools
