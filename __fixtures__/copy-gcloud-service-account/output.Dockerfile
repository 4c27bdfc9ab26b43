# syntax=docker/dockerfile:1
FROM google/cloud-sdk:470.0.0-slim
WORKDIR /deploy
ENV GOOGLE_APPLICATION_CREDENTIALS=/deploy/service-account.json
RUN --mount=type=secret,id=service-account.json,target=/deploy/service-account.json,required=true gcloud auth activate-service-account --key-file=/deploy/service-account.json \
 && gcloud storage cp gs://acme-releases/app-2.4.1.tar.gz /deploy/
