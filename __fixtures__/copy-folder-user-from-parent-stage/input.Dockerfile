FROM debian:bookworm-slim AS base
RUN useradd --create-home builder
USER builder

FROM base AS fetch
COPY .netrc /etc/fetch/.netrc
RUN ls -la /etc/fetch
RUN curl --netrc-file /etc/fetch/.netrc -fsSLo /tmp/tool.tgz https://artifacts.example.com/tool.tgz
