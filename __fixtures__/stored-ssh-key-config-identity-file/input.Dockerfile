FROM node:20-bookworm
ARG DEPLOY_KEY
RUN mkdir -p /root/.ssh \
 && echo "$DEPLOY_KEY" > /root/.ssh/id_rsa \
 && chmod 600 /root/.ssh/id_rsa \
 && printf 'Host github.com\n  IdentityFile /root/.ssh/id_rsa\n  StrictHostKeyChecking accept-new\n' > /root/.ssh/config
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
CMD ["node", "server.js"]
