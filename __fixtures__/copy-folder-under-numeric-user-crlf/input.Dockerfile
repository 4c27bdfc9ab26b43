FROM python:3.12-slim
USER 1000
COPY pip.conf /etc/pip/pip.conf
RUN test -d /etc/pip
RUN PIP_CONFIG_FILE=/etc/pip/pip.conf pip install --user flask
