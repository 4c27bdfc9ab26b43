FROM python:3.12-slim AS build
ARG PIP_TOKEN
ENV PIP_TOKEN=$PIP_TOKEN
RUN pip wheel --index-url "https://__token__:${PIP_TOKEN}@pypi.example.com/simple" -w /wheels app

FROM python:3.12-slim
ARG DATABASE_PASSWORD
ENV DB_PASSWORD=${DATABASE_PASSWORD}
COPY --from=build /wheels /wheels
RUN pip install /wheels/* && python -m app.migrate --password "$DB_PASSWORD"
CMD ["python", "-m", "app"]
