FROM python:3.12-slim

WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

# Secret is written into a layer and persists forever
COPY credentials.json /app/credentials.json

COPY . .
CMD ["python", "app.py"]
