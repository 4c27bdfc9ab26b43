# syntax=docker/dockerfile:1
FROM python:3.12
ARG PYPI_USER
COPY . .
RUN --mount=type=secret,id=pypi_password,env=PYPI_PASSWORD POETRY_HTTP_BASIC_PRIVATE_USERNAME="$PYPI_USER" POETRY_HTTP_BASIC_PRIVATE_PASSWORD="$PYPI_PASSWORD" poetry install --no-root
