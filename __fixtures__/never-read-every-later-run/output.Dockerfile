# syntax=docker/dockerfile:1
FROM node:20-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends jq python3-pip && rm -rf /var/lib/apt/lists/*
RUN mkdir -p /app/cache && chmod 0755 /app/cache && useradd -m app
RUN pip install --no-cache-dir --break-system-packages poetry==1.8.3
WORKDIR /app
COPY . .
RUN --mount=type=secret,id=deploy_token,env=DEPLOY_TOKEN ./scripts/release.sh
RUN --mount=type=secret,id=deploy_token,env=DEPLOY_TOKEN sh -c "mkdir -p /app/out"
RUN --mount=type=secret,id=deploy_token,env=DEPLOY_TOKEN pip install --break-system-packages -r requirements.txt
RUN --mount=type=secret,id=deploy_token,env=DEPLOY_TOKEN npm ci
