FROM alpine:3.20
RUN apk add --no-cache git curl
COPY .netrc /root/.netrc
RUN chmod 600 /root/.netrc
RUN git clone https://github.com/acme/private-lib.git /opt/private-lib
RUN curl -fsSL --netrc -o /tmp/tool.tgz https://artifacts.acme.io/tool/1.2.0/tool.tgz \
 && tar -xzf /tmp/tool.tgz -C /usr/local/bin
