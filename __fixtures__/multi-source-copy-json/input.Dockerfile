FROM node:18-alpine
WORKDIR /app
COPY ["package.json", ".npmrc", "yarn.lock", "./"]
RUN yarn install --frozen-lockfile --production
COPY . .
CMD ["yarn", "start"]
