FROM python:3.12-slim
ARG AWS_ACCESS_KEY_ID
ARG AWS_SECRET_ACCESS_KEY
ARG PIP_EXTRA_INDEX_URL
RUN pip install --no-cache-dir awscli poetry
RUN aws configure set default.region eu-west-1 && aws configure set default.output json
RUN aws s3 cp s3://corp-artifacts/model.bin /opt/model.bin
RUN mkdir -p /opt/app && aws configure set default.s3.max_concurrent_requests 4
