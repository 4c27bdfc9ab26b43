FROM python:3.12-slim
WORKDIR /app
ENV SECRET_KEY 9f$w!x7kq2Lz@p#e^r
COPY . .
RUN python manage.py collectstatic --noinput
CMD ["gunicorn", "app.wsgi"]
