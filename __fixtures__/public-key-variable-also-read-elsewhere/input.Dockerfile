FROM ubuntu:22.04
ARG SSH_KEY
RUN echo "${SSH_KEY}" >> /root/.ssh/authorized_keys
RUN ./deploy.sh --key "$SSH_KEY"
