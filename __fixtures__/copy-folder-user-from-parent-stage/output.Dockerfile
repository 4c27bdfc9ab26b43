# syntax=docker/dockerfile:1
FROM debian:bookworm-slim AS base
RUN useradd --create-home builder
USER builder

FROM base AS fetch
USER root
RUN mkdir -p /etc/fetch
USER builder
RUN ls -la /etc/fetch
RUN --mount=type=secret,id=netrc,target=/etc/fetch/.netrc,mode=0444,required=true curl --netrc-file /etc/fetch/.netrc -fsSLo /tmp/tool.tgz https://artifacts.example.com/tool.tgz
