# syntax=docker/dockerfile:1
FROM python:3.12-slim
WORKDIR /src
COPY dist/ dist/
RUN --mount=type=secret,id=pypirc,target=/src/~/.pypirc,required=true pip install twine && twine upload --config-file ~/.pypirc dist/*
