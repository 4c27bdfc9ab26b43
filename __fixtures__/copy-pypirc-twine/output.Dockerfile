# syntax=docker/dockerfile:1
FROM python:3.12-slim AS publish
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
RUN --mount=type=secret,id=pypirc,target=/root/.pypirc,required=true pip install --no-cache-dir build twine \
 && python -m build \
 && twine upload --repository internal dist/*
