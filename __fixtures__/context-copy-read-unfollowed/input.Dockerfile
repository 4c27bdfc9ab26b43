FROM node:22-slim
COPY . /src
RUN cp -t /root/ /src/.npmrc && npm ci
