# syntax=docker/dockerfile:1
FROM debian:bookworm-slim
RUN useradd --create-home app && apt-get update && apt-get install -y --no-install-recommends awscli
USER app:app
USER root
RUN mkdir -p /etc/deploy /etc/deploy/aws && chown app:app /etc/deploy /etc/deploy/aws
USER app:app
RUN printf "[default]\nregion = eu-west-1\n" > /etc/deploy/aws/config
RUN --mount=type=secret,id=creds.ini,target=/etc/deploy/aws/credentials,mode=0444,required=true AWS_SHARED_CREDENTIALS_FILE=/etc/deploy/aws/credentials AWS_CONFIG_FILE=/etc/deploy/aws/config aws s3 cp s3://acme-artifacts/tool.tgz /tmp/
