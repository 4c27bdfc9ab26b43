/**
 * Hugging Face: `huggingface-cli login --token T` (also `hf auth login --token T`) stores the token
 * in $HF_HOME/token; the CLI and the huggingface_hub library read HF_TOKEN first
 * (huggingface.co/docs/huggingface_hub/package_reference/environment_variables#hftoken).
 */
import { splitFlags, type Tool } from "./types.js";

export const huggingface: Tool = {
  name: "huggingface",
  readers: ["huggingface-cli", "hf", "python", "python3"],
  environment: ["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"],
  environmentReaders: ["huggingface-cli", "hf"],
  stores: [
    {
      id: "huggingface-login",
      match: (a) => (a[0] === "huggingface-cli" && a[1] === "login") || (a[0] === "hf" && a[1] === "auth" && a[2] === "login"),
      writes: "$HF_HOME/token (~/.cache/huggingface/token)",
      fileFree: (a) => {
        const split = splitFlags(a.slice(a[0] === "hf" ? 3 : 2), { "--token": "value" });
        if (typeof split === "string") return split;
        const token = split.flags.get("--token");
        if (typeof token !== "string" || split.rest.length > 0) return "it does not give the token with --token";
        return [{ kind: "env", name: "HF_TOKEN", value: token }];
      },
      docs: "huggingface.co/docs/huggingface_hub/package_reference/environment_variables#hftoken",
    },
  ],
};
