FROM scratch
# dockle tests its file-name rule with a Dockerfile copied under a credential name
ADD Dockerfile.base /credentials.json
COPY docs/README.md /root/.aws/credentials
USER scratch
