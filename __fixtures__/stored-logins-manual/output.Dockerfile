# syntax=docker/dockerfile:1
FROM debian:bookworm
RUN --mount=type=secret,id=gh_token,env=GH_TOKEN echo "$GH_TOKEN" | gh auth login --with-token
RUN --mount=type=secret,id=vault_role_secret,env=VAULT_ROLE_SECRET vault login -method=approle secret_id="$VAULT_ROLE_SECRET"
RUN --mount=type=secret,id=azure_password,env=AZURE_PASSWORD az login --service-principal -u app -p "$AZURE_PASSWORD" --tenant acme
RUN --mount=type=secret,id=kube_token,env=KUBE_TOKEN kubectl config set-credentials ci --token="$KUBE_TOKEN"
RUN --mount=type=secret,id=helm_repo_password,env=HELM_REPO_PASSWORD helm repo add acme https://charts.example.com --username ci --password "$HELM_REPO_PASSWORD"
RUN --mount=type=secret,id=conan_password,env=CONAN_PASSWORD conan remote login acme ci -p "$CONAN_PASSWORD"
RUN --mount=type=secret,id=npm_password,env=NPM_PASSWORD npm login --username ci --password "$NPM_PASSWORD"
