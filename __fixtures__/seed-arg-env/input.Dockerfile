FROM node:22-slim

# ARG values are recorded in docker history
ARG DB_PASSWORD
ENV DB_PASSWORD=${DB_PASSWORD}

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --production
COPY . .

CMD ["node", "server.js"]
