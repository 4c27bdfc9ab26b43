# syntax=docker/dockerfile:1
FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt ./
RUN --mount=type=secret,id=pip.conf,target=/app/pip.conf,required=true PIP_CONFIG_FILE=/app/pip.conf pip install --no-cache-dir -r requirements.txt \
 && rm -f requirements.txt
COPY . .
