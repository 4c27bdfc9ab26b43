FROM node:20-alpine
WORKDIR /usr/src/app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev && rm -f .npmrc
COPY . .
RUN npm run build
USER node
CMD ["node", "dist/index.js"]
