# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN --mount=type=secret,id=git_token,env=GIT_TOKEN git config --global url."https://${GIT_TOKEN}@github.com/".insteadOf "https://github.com/"
CMD ["sh"]
