/**
 * AWS CLI: `aws configure set aws_access_key_id|aws_secret_access_key|aws_session_token V` stores
 * the key in ~/.aws/credentials; the CLI and SDKs read AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
 * AWS_SESSION_TOKEN first (docs.aws.amazon.com/cli/latest/userguide/cli-configure-envvars.html).
 */
import { splitFlags, type Piece, type Tool } from "./types.js";

const VARIABLES: Record<string, string> = {
  aws_access_key_id: "AWS_ACCESS_KEY_ID",
  aws_secret_access_key: "AWS_SECRET_ACCESS_KEY",
  aws_session_token: "AWS_SESSION_TOKEN",
};

function awsConfigureSet(argv: readonly string[]): Piece[] | string {
  const split = splitFlags(argv.slice(3), { "--profile": "value" });
  if (typeof split === "string") return split;
  const profile = split.flags.get("--profile");
  if (profile !== undefined && profile !== "default") return `the profile ${String(profile)} is not the one the variables stand for`;
  if (split.rest.length !== 2) return "it does not set one key to one value";
  const key = split.rest[0].replace(/^default\./, "");
  const name = VARIABLES[key];
  if (!name) return `${key} has no variable of its own`;
  return [{ kind: "env", name, value: split.rest[1] }];
}

export const aws: Tool = {
  name: "aws",
  readers: ["aws", "sam", "cdk", "terraform", "tofu", "packer", "pulumi", "eksctl"],
  environment: ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"],
  stores: [
    {
      id: "aws-configure-set",
      match: (a) => a[0] === "aws" && a[1] === "configure" && a[2] === "set",
      writes: "~/.aws/credentials",
      fileFree: awsConfigureSet,
      docs: "docs.aws.amazon.com/cli/latest/userguide/cli-configure-envvars.html",
    },
  ],
};
