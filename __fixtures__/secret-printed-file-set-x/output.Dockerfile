# syntax=docker/dockerfile:1
FROM python:3.12-slim
WORKDIR /app
RUN --mount=type=secret,id=pip.conf,target=/etc/pip.conf,required=true cat /etc/pip.conf && pip install -r requirements.txt
RUN --mount=type=secret,id=pypi_token,env=PYPI_TOKEN set -eux; \
    curl -fsS -H "Authorization: token ${PYPI_TOKEN}" https://pypi.example.com/simple/ > /dev/null; \
    set +x; \
    curl -fsS -H "Authorization: token ${PYPI_TOKEN}" https://pypi.example.com/health
