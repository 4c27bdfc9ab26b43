FROM python:3.12-slim
ARG PIP_EXTRA_INDEX_TOKEN APP_VERSION=1.4.2
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt \
      --extra-index-url "https://ci:${PIP_EXTRA_INDEX_TOKEN}@pypi.acme.io/simple"
LABEL org.opencontainers.image.version=$APP_VERSION
