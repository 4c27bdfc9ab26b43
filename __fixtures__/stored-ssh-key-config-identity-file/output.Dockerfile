# syntax=docker/dockerfile:1
FROM node:20-bookworm
RUN mkdir -p /root/.ssh \
 && printf 'Host github.com\n  IdentityFile /root/.ssh/id_rsa\n  StrictHostKeyChecking accept-new\n' > /root/.ssh/config
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=deploy_key,target=/root/.ssh/id_rsa,mode=0600 npm ci
COPY . .
CMD ["node", "server.js"]
