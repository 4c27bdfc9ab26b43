FROM node:20-alpine
WORKDIR /app
COPY .npmrc package.json package-lock.json ./
RUN npm ci && rm .npmrc
WORKDIR /app/src
COPY . .
# the context copy brought .npmrc again; once .dockerignore keeps it out, rm of it would fail
RUN rm .npmrc package-lock.json
RUN npm run build
CMD ["node", "dist/index.js"]
