# syntax=docker/dockerfile:1
FROM amazon/aws-cli:2.15.30
COPY . /src
RUN --mount=type=secret,id=creds.ini,target=/root/.aws/credentials aws s3 sync /src/site s3://acme-site --delete
