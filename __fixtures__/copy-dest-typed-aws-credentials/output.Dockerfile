# syntax=docker/dockerfile:1
FROM amazon/aws-cli:2.15.30
RUN --mount=type=secret,id=creds.ini,target=/root/.aws/credentials,required=true aws s3 cp s3://acme-artifacts/app.tar.gz /opt/app.tar.gz
