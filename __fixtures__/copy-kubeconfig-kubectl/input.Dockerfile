FROM alpine/k8s:1.30.2
WORKDIR /deploy
COPY kubeconfig /root/.kube/config
COPY manifests/ ./manifests/
RUN kubectl kustomize manifests/ > rendered.yaml \
 && kubectl apply --dry-run=server -f rendered.yaml
