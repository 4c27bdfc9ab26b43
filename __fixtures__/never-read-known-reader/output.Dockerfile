# syntax=docker/dockerfile:1
FROM python:3.12-slim
RUN --mount=type=secret,id=pip_extra_index_url,env=PIP_EXTRA_INDEX_URL pip install --no-cache-dir awscli poetry
RUN aws configure set default.region eu-west-1 && aws configure set default.output json
RUN --mount=type=secret,id=aws_access_key_id,env=AWS_ACCESS_KEY_ID --mount=type=secret,id=aws_secret_access_key,env=AWS_SECRET_ACCESS_KEY aws s3 cp s3://corp-artifacts/model.bin /opt/model.bin
RUN mkdir -p /opt/app && aws configure set default.s3.max_concurrent_requests 4
