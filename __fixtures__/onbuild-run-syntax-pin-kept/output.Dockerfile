# syntax=docker/dockerfile:1.4
FROM python:3.12-slim
WORKDIR /app
ONBUILD COPY requirements.txt .
ONBUILD RUN --mount=type=secret,id=pip_index_token export PIP_INDEX_TOKEN="$(cat /run/secrets/pip_index_token)" && pip install --index-url "https://__token__:${PIP_INDEX_TOKEN}@pypi.example.com/simple" -r requirements.txt
ONBUILD COPY . .
