# syntax=docker/dockerfile:1
FROM python:3.12-slim
COPY requirements.txt .
RUN --mount=type=secret,id=pip.conf,target=/etc/pip.conf,mode=0600,required=true pip install -r requirements.txt
