# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN apk add --no-cache openssh-client rsync
RUN --mount=type=secret,id=deploy_key,target=/root/.ssh/id_ed25519,required=true rsync -e "ssh -i /root/.ssh/id_ed25519 -o StrictHostKeyChecking=no" -a deploy@backup.acme.io:/srv/assets/ /assets/
