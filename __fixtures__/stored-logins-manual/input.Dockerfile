FROM debian:bookworm
ARG GH_TOKEN
ARG VAULT_ROLE_SECRET
ARG AZURE_PASSWORD
ARG KUBE_TOKEN
ARG HELM_REPO_PASSWORD
ARG CONAN_PASSWORD
ARG NPM_PASSWORD
RUN echo "$GH_TOKEN" | gh auth login --with-token
RUN vault login -method=approle secret_id="$VAULT_ROLE_SECRET"
RUN az login --service-principal -u app -p "$AZURE_PASSWORD" --tenant acme
RUN kubectl config set-credentials ci --token="$KUBE_TOKEN"
RUN helm repo add acme https://charts.example.com --username ci --password "$HELM_REPO_PASSWORD"
RUN conan remote login acme ci -p "$CONAN_PASSWORD"
RUN npm login --username ci --password "$NPM_PASSWORD"
