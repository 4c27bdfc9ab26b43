FROM python:3.12-slim
WORKDIR /app
ADD pip.conf /etc/pip.conf
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
