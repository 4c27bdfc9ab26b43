FROM python:3.12-slim
COPY pip.conf /tmp/
RUN if [ -f /tmp/pip.conf ]; then cp /tmp/pip.conf /etc/pip.conf; fi
RUN pip install requests
