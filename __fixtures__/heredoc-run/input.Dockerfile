FROM python:3.12-slim
ARG PYPI_TOKEN
WORKDIR /app
COPY pyproject.toml ./
COPY src ./src
RUN <<EOF
set -eu
pip install --no-cache-dir --extra-index-url "https://__token__:${PYPI_TOKEN}@pypi.acme.io/simple" .
# keep the wheel cache out of the image
rm -rf /root/.cache
EOF
CMD ["python", "-m", "app"]
