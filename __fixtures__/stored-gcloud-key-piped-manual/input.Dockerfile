FROM google/cloud-sdk:slim
ARG GCP_SA_KEY
RUN echo "$GCP_SA_KEY" | gcloud auth activate-service-account --key-file=-
RUN gsutil cp gs://bucket/data.tar /data.tar
