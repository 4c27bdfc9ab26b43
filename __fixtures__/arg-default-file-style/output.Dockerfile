# syntax=docker/dockerfile:1
FROM alpine:3.20
WORKDIR /src
COPY . .
# The token is unquoted: with an empty value the command would lose an argument.
RUN --mount=type=secret,id=registry_token export REGISTRY_TOKEN="$(cat /run/secrets/registry_token)" && export REGISTRY_TOKEN="${REGISTRY_TOKEN:-unset}" && ./publish.sh --user ci --password $REGISTRY_TOKEN --repo acme \
      && echo published
RUN --mount=type=secret,id=registry_token export REGISTRY_TOKEN="$(cat /run/secrets/registry_token)" && export REGISTRY_TOKEN="${REGISTRY_TOKEN:-unset}" && if [ "${REGISTRY_TOKEN}" = unset ]; then echo "anonymous pull"; fi; ./fetch.sh
CMD ["./app"]
