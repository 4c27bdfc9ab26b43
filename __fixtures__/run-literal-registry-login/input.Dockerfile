FROM docker:27-cli
ARG REGISTRY_USER=ci
RUN docker login -u "$REGISTRY_USER" -p Rg7LoginPw registry.example.com \
 && docker pull registry.example.com/base:1
