FROM google/cloud-sdk:470.0.0-slim
WORKDIR /deploy
COPY service-account.json /deploy/service-account.json
ENV GOOGLE_APPLICATION_CREDENTIALS=/deploy/service-account.json
RUN gcloud auth activate-service-account --key-file=/deploy/service-account.json \
 && gcloud storage cp gs://acme-releases/app-2.4.1.tar.gz /deploy/
