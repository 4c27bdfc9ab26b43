# syntax=docker/dockerfile:1
FROM python:3.12
COPY requirements.txt .
RUN --mount=type=secret,id=pip_token,env=PIP_TOKEN PIP_INDEX_URL="https://__token__:${PIP_TOKEN}@pypi.example.com/simple" pip install -r requirements.txt
