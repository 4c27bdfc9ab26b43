FROM amazon/aws-cli:2.15.30
COPY deploy/creds.ini /root/.aws/credentials
RUN aws s3 cp s3://acme-artifacts/app.tar.gz /opt/app.tar.gz
