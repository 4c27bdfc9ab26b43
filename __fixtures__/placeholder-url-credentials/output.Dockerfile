FROM alpine:3.20
ARG url2="https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"
ARG mirror=https://user:s3cr3t-Pa55@example.com/simple
RUN wget -q https://deploy:xxx@localhost:8080/health || true
RUN curl -u admin:changeme http://127.0.0.1:9200/ || true
