# syntax=docker/dockerfile:1
FROM python:3.12-slim
RUN pip install --no-cache-dir awscli==1.33.0
ARG AWS_DEFAULT_REGION=eu-west-1
WORKDIR /models
RUN --mount=type=secret,id=aws_access_key_id,env=AWS_ACCESS_KEY_ID --mount=type=secret,id=aws_secret_access_key,env=AWS_SECRET_ACCESS_KEY aws s3 cp s3://acme-ml-models/ranker/v7/ ./ranker --recursive
CMD ["python", "-m", "ranker.serve"]
