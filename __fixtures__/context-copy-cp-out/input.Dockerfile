FROM amazon/aws-cli:2.15.30
COPY . /src
RUN cp /src/deploy/creds.ini /root/.aws/credentials
RUN aws s3 sync /src/site s3://acme-site --delete
