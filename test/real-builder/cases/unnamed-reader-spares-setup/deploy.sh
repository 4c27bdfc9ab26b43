# Reads DEPLOY_TOKEN from its environment: the RUN that calls it does not name it.
printf %s "$DEPLOY_TOKEN" | sha256sum > /proof/deploy-token.sha
