FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY certs/ca.pem /usr/local/share/ca-certificates/acme-ca.crt
COPY certs/cert.pem /etc/ssl/acme/cert.pem
ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
RUN update-ca-certificates
