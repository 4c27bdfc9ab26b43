FROM alpine:3.19
ARG GIT_TOKEN
RUN git clone https://ci:$GIT_TOKEN@gitlab.com/acme/app.git && make -C app; rm -rf app/.git
