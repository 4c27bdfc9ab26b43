# syntax=docker/dockerfile:1
FROM python:3.12-slim

WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY . .

# Secret is mounted at /run/secrets/db_password for this RUN only
# It never appears in any image layer
RUN --mount=type=secret,id=db_password \
    cat /run/secrets/db_password | python manage.py migrate

CMD ["python", "app.py"]
