FROM python:3.12-slim AS deps
ARG ci_token
# the index URL in requirements.txt reads ${PIP_TOKEN}: pip expands it from its environment
ENV PIP_TOKEN ${ci_token}
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

FROM deps AS test
RUN python -m pytest -q

FROM python:3.12-slim
COPY --from=deps /usr/local/lib/python3.12 /usr/local/lib/python3.12
CMD ["python", "-m", "app"]
