# syntax=docker/dockerfile:1
FROM python:3.12-slim AS build
WORKDIR /app
COPY requirements.txt .
RUN --mount=type=secret,id=pypi_token,env=PYPI_TOKEN pip install --no-cache-dir -r requirements.txt
RUN python -m compileall -q /app

FROM python:3.12-slim
COPY --from=build /usr/local/lib/python3.12 /usr/local/lib/python3.12
CMD ["python", "-m", "app"]
