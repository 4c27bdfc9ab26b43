FROM alpine:3.20
ARG REGISTRY_TOKEN=unset
WORKDIR /src
COPY . .
# The token is unquoted: with an empty value the command would lose an argument.
RUN ./publish.sh --user ci --password $REGISTRY_TOKEN --repo acme \
      && echo published
RUN if [ "${REGISTRY_TOKEN}" = unset ]; then echo "anonymous pull"; fi; ./fetch.sh
CMD ["./app"]
