# syntax=docker/dockerfile:1
FROM google/cloud-sdk:slim
RUN --mount=type=secret,id=gcp_sa_key,env=GCP_SA_KEY echo "$GCP_SA_KEY" | gcloud auth activate-service-account --key-file=-
RUN gsutil cp gs://bucket/data.tar /data.tar
