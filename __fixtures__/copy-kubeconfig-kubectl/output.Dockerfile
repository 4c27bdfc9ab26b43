# syntax=docker/dockerfile:1
FROM alpine/k8s:1.30.2
WORKDIR /deploy
COPY manifests/ ./manifests/
RUN --mount=type=secret,id=kubeconfig,target=/root/.kube/config,required=true kubectl kustomize manifests/ > rendered.yaml \
 && kubectl apply --dry-run=server -f rendered.yaml
