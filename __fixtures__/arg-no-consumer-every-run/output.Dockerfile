# syntax=docker/dockerfile:1
FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN --mount=type=secret,id=django_secret_key,env=DJANGO_SECRET_KEY pip install --no-cache-dir -r requirements.txt
COPY . .
RUN --mount=type=secret,id=django_secret_key,env=DJANGO_SECRET_KEY python manage.py collectstatic --noinput
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000"]
