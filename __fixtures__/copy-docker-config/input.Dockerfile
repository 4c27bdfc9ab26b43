FROM docker:27-cli AS manifests
WORKDIR /out
COPY .docker/config.json /root/.docker/config.json
RUN docker manifest inspect registry.acme.io/platform/base:1.4 > base-manifest.json
