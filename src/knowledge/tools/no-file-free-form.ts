/**
 * Tools whose login stores a credential in a file and that the rewrite cannot give it without
 * one: the finding says what stays and where, and what a person can do (REFERENCE §9). Their
 * alternatives were not all checked against each tool's documentation: the messages say "e.g.".
 */
import type { Tool } from "./types.js";

export const gcloud: Tool = {
  name: "gcloud",
  readers: ["gcloud", "gsutil", "bq"],
  environment: ["GOOGLE_APPLICATION_CREDENTIALS", "CLOUDSDK_AUTH_ACCESS_TOKEN_FILE"],
  stores: [
    {
      id: "gcloud-auth",
      match: (a) => a[0] === "gcloud" && a[1] === "auth" && (a[2] === "activate-service-account" || a[2] === "login"),
      writes: "$CLOUDSDK_CONFIG (~/.config/gcloud)",
      manual:
        "give client libraries GOOGLE_APPLICATION_CREDENTIALS pointing at a secret-mounted key file, or run gcloud with CLOUDSDK_CONFIG on a --mount=type=tmpfs in the same RUN that uses it",
      docs: "unchecked",
    },
  ],
};

export const registryLogin: Tool = {
  name: "docker",
  readers: ["docker", "podman", "buildah", "helm", "skopeo"],
  stores: [
    {
      id: "registry-login",
      match: (a) => /^(docker|podman|buildah|helm)$/.test(a[0]) && (a[1] === "login" || (a[1] === "registry" && a[2] === "login")),
      writes: "~/.docker/config.json",
      manual: "secret-mount a config.json at that path in the RUN that pulls or pushes, or log in with DOCKER_CONFIG on a tmpfs mount in that same RUN",
      docs: "unchecked",
    },
  ],
};

export const otherLogins: Tool = {
  name: "other logins",
  readers: ["gh", "vault", "terraform", "az", "kubectl", "helm", "conan"],
  stores: [
    { id: "gh-auth-login", match: (a) => a[0] === "gh" && a[1] === "auth" && a[2] === "login", writes: "~/.config/gh/hosts.yml", manual: "give gh GH_TOKEN on the RUN that runs it", docs: "unchecked" },
    { id: "vault-login", match: (a) => a[0] === "vault" && a[1] === "login", writes: "~/.vault-token", manual: "give vault VAULT_TOKEN on the RUN that runs it", docs: "unchecked" },
    { id: "az-login", match: (a) => a[0] === "az" && a[1] === "login", writes: "~/.azure/", manual: "log in inside the RUN that needs it, with AZURE_CONFIG_DIR on a tmpfs mount", docs: "unchecked" },
    { id: "kubectl-set-credentials", match: (a) => a[0] === "kubectl" && a[1] === "config" && a[2] === "set-credentials", writes: "~/.kube/config", manual: "secret-mount a kubeconfig (KUBECONFIG) on the RUN that runs kubectl", docs: "unchecked" },
    { id: "helm-repo-add", match: (a) => a[0] === "helm" && a[1] === "repo" && a[2] === "add", writes: "helm's repositories.yaml", manual: "add the repository inside the RUN that needs it, with HELM_REPOSITORY_CONFIG on a tmpfs mount", docs: "unchecked" },
    { id: "conan-remote-login", match: (a) => a[0] === "conan" && ((a[1] === "remote" && a[2] === "login") || a[1] === "user"), writes: "conan's home", manual: "give conan CONAN_LOGIN_USERNAME_<REMOTE> / CONAN_PASSWORD_<REMOTE> on the RUN that runs it", docs: "unchecked" },
  ],
};
