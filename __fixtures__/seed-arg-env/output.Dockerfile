# syntax=docker/dockerfile:1
FROM node:22-slim

# ARG values are recorded in docker history

WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=db_password,env=DB_PASSWORD npm ci --production
COPY . .

CMD ["node", "server.js"]
