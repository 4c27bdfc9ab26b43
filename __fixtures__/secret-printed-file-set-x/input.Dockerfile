FROM python:3.12-slim
WORKDIR /app
ARG PYPI_TOKEN
COPY pip.conf /etc/pip.conf
RUN cat /etc/pip.conf && pip install -r requirements.txt
RUN set -eux; \
    curl -fsS -H "Authorization: token ${PYPI_TOKEN}" https://pypi.example.com/simple/ > /dev/null; \
    set +x; \
    curl -fsS -H "Authorization: token ${PYPI_TOKEN}" https://pypi.example.com/health
