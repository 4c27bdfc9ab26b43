# syntax=docker/dockerfile:1
FROM python:3.12-slim AS build
RUN --mount=type=secret,id=pip_token,env=PIP_TOKEN pip wheel --index-url "https://__token__:${PIP_TOKEN}@pypi.example.com/simple" -w /wheels app

FROM python:3.12-slim
COPY --from=build /wheels /wheels
RUN --mount=type=secret,id=database_password,env=DB_PASSWORD pip install /wheels/* && python -m app.migrate --password "$DB_PASSWORD"
CMD ["python", "-m", "app"]
