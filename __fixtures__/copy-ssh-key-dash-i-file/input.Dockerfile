FROM alpine:3.20
RUN apk add --no-cache openssh-client rsync
COPY deploy_key /root/.ssh/id_ed25519
RUN rsync -e "ssh -i /root/.ssh/id_ed25519 -o StrictHostKeyChecking=no" -a deploy@backup.acme.io:/srv/assets/ /assets/
