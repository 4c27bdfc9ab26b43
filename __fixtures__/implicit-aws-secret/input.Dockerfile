FROM python:3.12-slim
RUN pip install --no-cache-dir awscli==1.33.0
ARG AWS_ACCESS_KEY_ID
ARG AWS_SECRET_ACCESS_KEY
ARG AWS_DEFAULT_REGION=eu-west-1
WORKDIR /models
RUN aws s3 cp s3://acme-ml-models/ranker/v7/ ./ranker --recursive
CMD ["python", "-m", "ranker.serve"]
