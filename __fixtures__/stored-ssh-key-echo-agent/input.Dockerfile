FROM alpine:3.20
ARG SSH_PRIVATE_KEY
RUN mkdir -p /root/.ssh && echo "$SSH_PRIVATE_KEY" > /root/.ssh/id_rsa && chmod 600 /root/.ssh/id_rsa
RUN git clone git@github.com:acme/private.git /src
