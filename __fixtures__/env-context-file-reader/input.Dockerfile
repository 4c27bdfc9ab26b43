FROM python:3.12-slim AS build
ARG PYPI_TOKEN
ENV PYPI_TOKEN=${PYPI_TOKEN}
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
RUN python -m compileall -q /app

FROM python:3.12-slim
COPY --from=build /usr/local/lib/python3.12 /usr/local/lib/python3.12
CMD ["python", "-m", "app"]
