FROM alpine:3.20 AS creds
COPY .npmrc /secrets/.npmrc

FROM node:20-alpine
WORKDIR /app
COPY --from=creds /secrets/.npmrc /root/.npmrc
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && rm /root/.npmrc
CMD ["node", "index.js"]
