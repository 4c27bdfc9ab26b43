FROM node:22-slim
WORKDIR /app
COPY . .
RUN npm ci --omit=dev --registry=https://registry.npmjs.org/
CMD ["node", "app.js"]
