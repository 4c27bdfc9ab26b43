FROM nginx:1.27-alpine
RUN apk add --no-cache curl
ARG RELEASE_TOKEN
LABEL org.acme.release-token="${RELEASE_TOKEN}"
COPY dist/ /usr/share/nginx/html/
