FROM python:3.12-slim
WORKDIR /src
COPY .pypirc ~/
COPY dist/ dist/
RUN pip install twine && twine upload --config-file ~/.pypirc dist/*
