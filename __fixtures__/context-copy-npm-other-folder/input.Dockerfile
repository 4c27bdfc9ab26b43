FROM node:22-slim
COPY . /src
WORKDIR /app
RUN npm ci
