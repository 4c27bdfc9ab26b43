# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN --mount=type=secret,id=api_token,env=API_TOKEN echo "token: $API_TOKEN" && wget --header "Authorization: Bearer $API_TOKEN" -O /tmp/a.tgz https://example.com/a.tgz
RUN --mount=type=secret,id=api_token,env=API_TOKEN echo "$API_TOKEN" > /dev/null && echo "$API_TOKEN" | sha256sum && echo '$API_TOKEN is used' && printenv
RUN --mount=type=secret,id=api_token,env=API_TOKEN AUTH=`printf 'x:%s' "$API_TOKEN"` && HDR=$(echo "Bearer $API_TOKEN") && wget --header "$HDR" https://example.com/b
