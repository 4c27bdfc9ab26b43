# syntax=docker/dockerfile:1
FROM python:3.12-slim AS deps
# the index URL in requirements.txt reads ${PIP_TOKEN}: pip expands it from its environment
WORKDIR /app
COPY requirements.txt .
RUN --mount=type=secret,id=ci_token,env=ci_token --mount=type=secret,id=ci_token,env=PIP_TOKEN pip install --no-cache-dir -r requirements.txt

FROM deps AS test
RUN --mount=type=secret,id=ci_token,env=PIP_TOKEN python -m pytest -q

FROM python:3.12-slim
COPY --from=deps /usr/local/lib/python3.12 /usr/local/lib/python3.12
CMD ["python", "-m", "app"]
