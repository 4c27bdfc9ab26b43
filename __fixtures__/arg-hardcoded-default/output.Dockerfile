# syntax=docker/dockerfile:1
FROM python:3.12-slim
RUN --mount=type=secret,id=pip_index_token,env=PIP_INDEX_TOKEN pip install --no-cache-dir \
      --index-url "https://__token__:${PIP_INDEX_TOKEN}@gitlab.acme.io/api/v4/projects/42/packages/pypi/simple" \
      acme-core==2.3.1
CMD ["python", "-m", "acme_core"]
