FROM alpine:3.20
RUN apk add --no-cache git
RUN git clone https://deploy-bot:ghp_Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78@github.com/acme/config.git /etc/acme
CMD ["/bin/sh"]
