FROM debian:bookworm-slim
RUN useradd --create-home app && apt-get update && apt-get install -y --no-install-recommends awscli
USER app:app
COPY --chown=app:app deploy/creds.ini /etc/deploy/aws/credentials
RUN printf "[default]\nregion = eu-west-1\n" > /etc/deploy/aws/config
RUN AWS_SHARED_CREDENTIALS_FILE=/etc/deploy/aws/credentials AWS_CONFIG_FILE=/etc/deploy/aws/config aws s3 cp s3://acme-artifacts/tool.tgz /tmp/
