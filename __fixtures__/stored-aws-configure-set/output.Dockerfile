# syntax=docker/dockerfile:1
FROM amazon/aws-cli
RUN aws configure set region eu-west-1
RUN --mount=type=secret,id=aws_access_key_id,env=AWS_ACCESS_KEY_ID --mount=type=secret,id=aws_secret_access_key,env=AWS_SECRET_ACCESS_KEY AWS_ACCESS_KEY_ID="$AWS_ACCESS_KEY_ID" AWS_SECRET_ACCESS_KEY="$AWS_SECRET_ACCESS_KEY" aws s3 cp s3://bucket/model.bin /models/model.bin
