FROM nginx:1.27-alpine
COPY nginx.conf /etc/nginx/nginx.conf
COPY certs/server.crt /etc/nginx/certs/server.crt
EXPOSE 443
