FROM python:3.12-slim AS publish
WORKDIR /src
COPY . .
COPY .pypirc /root/.pypirc
RUN pip install --no-cache-dir build twine && python -m build && twine upload dist/*
