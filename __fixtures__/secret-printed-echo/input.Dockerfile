FROM alpine:3.20
ARG API_TOKEN
RUN echo "token: $API_TOKEN" && wget --header "Authorization: Bearer $API_TOKEN" -O /tmp/a.tgz https://example.com/a.tgz
RUN echo "$API_TOKEN" > /dev/null && echo "$API_TOKEN" | sha256sum && echo '$API_TOKEN is used' && printenv
RUN AUTH=`printf 'x:%s' "$API_TOKEN"` && HDR=$(echo "Bearer $API_TOKEN") && wget --header "$HDR" https://example.com/b
