/** What `unbake audit` reports of one platform image. */
import type { RuleId } from "../types.js";

export type ImageFindingKind = "build-arg" | "env" | "label" | "history-value" | "file" | "file-content";

export interface LayerRef {
  /** 0-based, bottom first. */
  index: number;
  digest: string;
}

export interface ImageFinding {
  /** The unbake rule whose rewrite of the Dockerfile stops this leak. */
  rule: RuleId;
  kind: ImageFindingKind;
  /** One line, values masked unless showSecrets. */
  message: string;
  /** The layer that holds it (files, and the layer a RUN with build arguments made). */
  layer?: LayerRef;
  /** The history entry (0-based index into the config's history) and its created_by, masked. */
  step?: { index: number; createdBy: string };
  /** The Dockerfile instruction that most likely caused it, as far as the history tells, masked. */
  instruction?: string;
  /** The file in the layer (no leading `/`). */
  path?: string;
  /** The variable, build argument or label. */
  name?: string;
  /** A later layer deletes the file (a whiteout): it is still in `layer`'s blob. */
  deletedIn?: LayerRef;
}

export interface ImageAudit {
  input: string;
  names: string[];
  platform?: string;
  configDigest: string;
  findings: ImageFinding[];
}
