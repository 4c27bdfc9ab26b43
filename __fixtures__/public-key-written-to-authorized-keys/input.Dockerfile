FROM ubuntu:22.04
RUN apt-get update && apt-get install -y openssh-server && mkdir -p /root/.ssh
ARG SSH_KEY
ARG HOST_KEY
RUN echo "${SSH_KEY}" >> /root/.ssh/authorized_keys && chmod 600 /root/.ssh/authorized_keys
RUN echo "$HOST_KEY" | tee -a ~/.ssh/known_hosts > /dev/null
CMD ["/usr/sbin/sshd", "-D"]
