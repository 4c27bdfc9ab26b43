# syntax=docker/dockerfile:1
FROM python:3.12-slim AS base
WORKDIR /app
COPY requirements.txt .

FROM base AS test
COPY requirements-dev.txt .
RUN --mount=type=secret,id=pip.conf,target=/etc/pip.conf,required=true pip install --no-cache-dir -r requirements.txt -r requirements-dev.txt

FROM base AS runtime
RUN --mount=type=secret,id=pip.conf,target=/etc/pip.conf,required=true pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["python", "-m", "app"]
