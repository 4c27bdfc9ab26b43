FROM node:20-bookworm
ARG DEPLOY_TOKEN
RUN apt-get update && apt-get install -y --no-install-recommends jq python3-pip && rm -rf /var/lib/apt/lists/*
RUN mkdir -p /app/cache && chmod 0755 /app/cache && useradd -m app
RUN pip install --no-cache-dir --break-system-packages poetry==1.8.3
WORKDIR /app
COPY . .
RUN ./scripts/release.sh
RUN sh -c "mkdir -p /app/out"
RUN pip install --break-system-packages -r requirements.txt
RUN npm ci
