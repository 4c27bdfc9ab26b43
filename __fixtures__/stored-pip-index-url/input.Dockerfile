FROM python:3.12
ARG PIP_TOKEN
RUN pip config set global.index-url "https://__token__:${PIP_TOKEN}@pypi.example.com/simple"
COPY requirements.txt .
RUN pip install -r requirements.txt
