# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN --mount=type=secret,id=deploy_token,env=DEPLOY_TOKEN ["/bin/sh", "-c", "./deploy --token $DEPLOY_TOKEN"]
RUN --mount=type=secret,id=deploy_token,env=DEPLOY_TOKEN <<EOF
./deploy --token $DEPLOY_TOKEN
EOF
RUN --mount=type=secret,id=deploy_token,env=DEPLOY_TOKEN export DEPLOY_TOKEN="${DEPLOY_TOKEN:-changeme}" && ./deploy --token "$DEPLOY_TOKEN"
