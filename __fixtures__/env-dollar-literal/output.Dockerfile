# syntax=docker/dockerfile:1
FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN --mount=type=secret,id=secret_key,env=SECRET_KEY python manage.py collectstatic --noinput
CMD ["gunicorn", "app.wsgi"]
