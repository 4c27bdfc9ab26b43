FROM node:22-slim
WORKDIR /app
COPY package.json .npmrc /tmp/build/
RUN cp /tmp/build/.npmrc ~/.npmrc && cp /tmp/build/package.json . && npm ci && rm -f ~/.npmrc /tmp/build/.npmrc
