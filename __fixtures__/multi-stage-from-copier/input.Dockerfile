FROM python:3.12-slim AS base
WORKDIR /app
COPY pip.conf /etc/pip.conf
COPY requirements.txt .

FROM base AS test
COPY requirements-dev.txt .
RUN pip install --no-cache-dir -r requirements.txt -r requirements-dev.txt

FROM base AS runtime
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["python", "-m", "app"]
