# syntax=docker/dockerfile:1
FROM python:3.12-slim
WORKDIR /app
COPY pyproject.toml ./
COPY src ./src
RUN --mount=type=secret,id=pypi_token,env=PYPI_TOKEN <<EOF
set -eu
pip install --no-cache-dir --extra-index-url "https://__token__:${PYPI_TOKEN}@pypi.acme.io/simple" .
# keep the wheel cache out of the image
rm -rf /root/.cache
EOF
CMD ["python", "-m", "app"]
