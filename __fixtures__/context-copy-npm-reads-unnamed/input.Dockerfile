FROM node:22-slim
COPY . /src
WORKDIR /src
RUN npm ci
RUN npm run build

FROM node:22-slim
COPY --from=0 /src/dist /app
CMD ["node", "/app/server.js"]
