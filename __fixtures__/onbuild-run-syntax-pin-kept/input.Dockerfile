# syntax=docker/dockerfile:1.4
FROM python:3.12-slim
WORKDIR /app
ONBUILD ARG PIP_INDEX_TOKEN
ONBUILD COPY requirements.txt .
ONBUILD RUN pip install --index-url "https://__token__:${PIP_INDEX_TOKEN}@pypi.example.com/simple" -r requirements.txt
ONBUILD COPY . .
