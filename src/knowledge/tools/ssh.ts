/**
 * ssh: a private key written into ~/.ssh (`echo "$SSH_KEY" > ~/.ssh/id_rsa`) for `git clone
 * git@…` stays in that layer. BuildKit forwards the builder's ssh agent instead: `RUN
 * --mount=type=ssh` on the RUNs that run git or ssh, and `docker build --ssh default`; the key
 * never enters the build (REFERENCE §2).
 */

/** Paths of ssh private keys (the client's default identity files). */
export const SSH_PRIVATE_KEY = /(?:^|\/)\.ssh\/id_(?:rsa|dsa|ecdsa|ed25519|ecdsa_sk|ed25519_sk)$/;

export const SSH_INSTEAD =
  "use RUN --mount=type=ssh on the RUNs that run git or ssh and build with --ssh default (the key stays with the builder's ssh agent and never enters the build)";
