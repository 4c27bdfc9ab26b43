# syntax=docker/dockerfile:1
FROM python:3.12-slim
ARG PYTORCH_INDEX=https://download.pytorch.org/whl
COPY requirements.txt .
RUN --mount=type=secret,id=artifactory_pypi,env=ARTIFACTORY_PYPI pip install -i "$ARTIFACTORY_PYPI" --extra-index-url "$PYTORCH_INDEX" -r requirements.txt
COPY . .
