FROM python:3.12-slim
COPY secrets/pip.conf /tmp/
RUN install -m 600 /tmp/pip.conf /etc/pip.conf
COPY requirements.txt .
RUN pip install -r requirements.txt
