FROM node:22-slim
WORKDIR /app
COPY . .
RUN node scripts/migrate.js --credentials config/credentials.json
RUN node scripts/build.js
