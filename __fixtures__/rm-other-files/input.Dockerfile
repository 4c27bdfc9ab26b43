FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt pip.conf ./
RUN PIP_CONFIG_FILE=/app/pip.conf pip install --no-cache-dir -r requirements.txt \
 && rm -f pip.conf requirements.txt
COPY . .
