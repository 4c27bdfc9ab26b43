FROM python:3.12-slim
ARG ARTIFACTORY_PYPI
ARG PYTORCH_INDEX=https://download.pytorch.org/whl
COPY requirements.txt .
RUN pip install -i "$ARTIFACTORY_PYPI" --extra-index-url "$PYTORCH_INDEX" -r requirements.txt
COPY . .
