# syntax=docker/dockerfile:1
FROM docker:27-cli AS manifests
WORKDIR /out
RUN --mount=type=secret,id=docker_config.json,target=/root/.docker/config.json,required=true docker manifest inspect registry.acme.io/platform/base:1.4 > base-manifest.json
