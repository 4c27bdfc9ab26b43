FROM python:3.12
ARG PYPI_USER
ARG PYPI_PASSWORD
RUN poetry config http-basic.private "$PYPI_USER" "$PYPI_PASSWORD"
COPY . .
RUN poetry install --no-root
