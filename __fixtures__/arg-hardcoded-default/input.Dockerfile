FROM python:3.12-slim
ARG PIP_INDEX_TOKEN=glpat-Xq7Lm2Pz9Rt4Vw8Yb3Nc
RUN pip install --no-cache-dir \
      --index-url "https://__token__:${PIP_INDEX_TOKEN}@gitlab.acme.io/api/v4/projects/42/packages/pypi/simple" \
      acme-core==2.3.1
CMD ["python", "-m", "acme_core"]
