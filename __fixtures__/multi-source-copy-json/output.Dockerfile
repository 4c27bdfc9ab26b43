# syntax=docker/dockerfile:1
FROM node:18-alpine
WORKDIR /app
COPY ["package.json", "yarn.lock", "./"]
RUN --mount=type=secret,id=npmrc,target=/app/.npmrc,required=true yarn install --frozen-lockfile --production
COPY . .
CMD ["yarn", "start"]
