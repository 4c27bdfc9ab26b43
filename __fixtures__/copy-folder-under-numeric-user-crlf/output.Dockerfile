# syntax=docker/dockerfile:1
FROM python:3.12-slim
USER 1000
USER root
RUN mkdir -p /etc/pip
USER 1000
RUN test -d /etc/pip
RUN --mount=type=secret,id=pip.conf,target=/etc/pip/pip.conf,mode=0444,required=true PIP_CONFIG_FILE=/etc/pip/pip.conf pip install --user flask
