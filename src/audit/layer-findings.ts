/**
 * Leaks in an image's layers: credential files (by the COPY rule's path classifier) and known
 * token formats in small text files (content-policy.ts says which). Entries arrive layer by layer
 * in whatever order the input stores the blobs, so hits and whiteouts are collected per layer and
 * judged once the whole image is read: a file a later layer deletes is still in its own layer's
 * blob, for anyone to extract.
 */
import { classifySecretPath } from "../analyse/secret-files.js";
import { findSecretValues } from "../analyse/secret-values.js";
import type { ImageMeta, LayerEntry, LayerMeta } from "./image.js";
import type { RawFinding } from "./config-findings.js";
import { looksBinary, wantsContent } from "./content-policy.js";
import { parseStep } from "./history.js";

interface Hit {
  layer: LayerMeta;
  path: string;
  /** A credential file's label, or the token formats found in its content. */
  label: string;
  content: boolean;
  values: string[];
}

const MAX_HITS = 1000;
/** Whiteouts kept per image: a gzip bomb of whiteout headers must not fill memory. */
const MAX_DELETIONS = 100_000;

export class LayerCollector {
  private readonly hits: Hit[] = [];
  /** Files past MAX_HITS: counted, not kept (an image of a million .env files stays small in memory). */
  private dropped = 0;
  private deletions = 0;
  /** Per layer index: paths it deletes, and folders it makes opaque. */
  private readonly deleted = new Map<number, { paths: Set<string>; opaque: Set<string> }>();

  constructor(private readonly meta: ImageMeta) {}

  wantsContent(entry: LayerEntry): boolean {
    return entry.kind === "file" && !entry.whiteout && !entry.opaque && classifySecretPath(`/${entry.path}`) === null && wantsContent(entry.path, entry.size);
  }

  entry(layer: LayerMeta, entry: LayerEntry, content?: Uint8Array): void {
    if (entry.whiteout || entry.opaque) {
      // Past the cap a deletion is not recorded: its file is still reported, only not as deleted.
      if (this.deletions++ >= MAX_DELETIONS) return;
      let d = this.deleted.get(layer.index);
      if (!d) this.deleted.set(layer.index, (d = { paths: new Set(), opaque: new Set() }));
      (entry.opaque ? d.opaque : d.paths).add(trimSlash(entry.path));
      return;
    }
    if (entry.kind !== "file") return;
    const kind = classifySecretPath(`/${entry.path}`);
    // An empty one (a file emptied in place of deleting it) holds nothing.
    if (kind !== null && !kind.directory && entry.size > 0) {
      this.keep({ layer, path: entry.path, label: kind.label, content: false, values: [] });
      return;
    }
    if (content === undefined || looksBinary(content)) return;
    const text = new TextDecoder().decode(content);
    const matches = findSecretValues(text);
    if (matches.length === 0) return;
    const labels = [...new Set(matches.map((m) => m.label))];
    this.keep({ layer, path: entry.path, label: labels.join(", "), content: true, values: matches.slice(0, 16).map((m) => text.slice(m.start, m.end)) });
  }

  private keep(hit: Hit): void {
    if (this.hits.length < MAX_HITS) this.hits.push(hit);
    else this.dropped++;
  }


  findings(): RawFinding[] {
    const byLayer = [...this.hits].sort((a, b) => a.layer.index - b.layer.index || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const listed = byLayer.map((h) => this.finding(h));
    if (this.dropped === 0) return listed;
    const more = this.dropped;
    const rest: RawFinding = { rule: "secret-file-copy", kind: "file", values: [], describe: () => `and ${more} more files with a secret in the layers, not listed (at most ${MAX_HITS} per image)` };
    return [...listed, rest];
  }

  private finding(h: Hit): RawFinding {
    const stepIndex = h.layer.historyIndex;
    const step = parseStep(stepIndex === undefined ? undefined : this.meta.history[stepIndex]?.createdBy);
    const rule = step.keyword === "RUN" ? "run-writes-secret" : "secret-file-copy";
    const deletedIn = this.deletedIn(h.layer.index, h.path);
    const where = `layer ${h.layer.index + 1} (${short(h.layer.digest)})`;
    return {
      rule,
      kind: h.content ? "file-content" : "file",
      layer: { index: h.layer.index, digest: h.layer.digest },
      path: h.path,
      ...(stepIndex !== undefined ? { stepIndex } : {}),
      ...(deletedIn ? { deletedIn: { index: deletedIn.index, digest: deletedIn.digest } } : {}),
      values: h.values,
      describe: (_show, stepText) => {
        const what = h.content ? `${h.label} in /${h.path}` : `${h.label}: /${h.path}`;
        const made = stepIndex !== undefined ? `, written by ${stepText(stepIndex)}` : "";
        const gone = deletedIn
          ? `; deleted in layer ${deletedIn.index + 1} (${short(deletedIn.digest)}) but still in layer ${h.layer.index + 1}'s blob`
          : "";
        return `${what} in ${where}${made}${gone}`;
      },
    } satisfies RawFinding;
  }

  /** The first layer above `index` that deletes `path` or a folder holding it. */
  private deletedIn(index: number, path: string): LayerMeta | undefined {
    for (const layer of this.meta.layers) {
      if (layer.index <= index) continue;
      const d = this.deleted.get(layer.index);
      if (!d) continue;
      for (let p = path; p !== ""; p = parent(p)) {
        if (d.paths.has(p)) return layer;
        if (p !== path && d.opaque.has(p)) return layer;
      }
      if (d.opaque.has("")) return layer;
    }
    return undefined;
  }
}

function parent(p: string): string {
  const i = p.lastIndexOf("/");
  return i < 0 ? "" : p.slice(0, i);
}

function trimSlash(p: string): string {
  return p.replace(/\/+$/, "");
}

/** `sha256:0123456789ab`: enough to tell layers apart in a message. */
export function short(digest: string): string {
  return digest.slice(0, 19);
}
