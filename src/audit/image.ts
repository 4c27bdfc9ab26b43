/**
 * What `unbake audit` sees of an image, whatever form it came in (OCI layout folder, OCI
 * archive, docker-archive, gzipped or not): one view per platform image, its config, and its
 * layers' tar entries, each read once as a stream. The reader (read-image.ts) produces these;
 * the auditor (audit.ts) only consumes them, so the classifiers never touch tar or compression.
 */

/** One entry of the config's `history`, index for index. */
export interface HistoryStep {
  createdBy?: string;
  comment?: string;
  /** No layer: ENV, ARG, LABEL, WORKDIR … (`empty_layer`). */
  emptyLayer: boolean;
}

/** One platform image: the config and where each layer sits in the history. */
export interface ImageMeta {
  /** The input path as given (folder or archive). */
  input: string;
  /** Reference names the input gives it (`org.opencontainers.image.ref.name`, RepoTags), if any. */
  names: string[];
  /** `os/architecture[/variant]`, when the config or the index says. */
  platform?: string;
  /** The config's digest (`sha256:…`), the image id. */
  configDigest: string;
  /** `config.Env` as written: `NAME=value`. */
  env: string[];
  /** `config.Labels`. */
  labels: Record<string, string>;
  history: HistoryStep[];
  /** Layers, bottom first. */
  layers: LayerMeta[];
}

export interface LayerMeta {
  /** 0-based, bottom first. */
  index: number;
  /** The layer blob's digest as the manifest names it (compressed); `diffId` is the uncompressed one. */
  digest: string;
  diffId?: string;
  mediaType?: string;
  /** Index into ImageMeta.history of the step that made it (the n-th non-empty step), if known. */
  historyIndex?: number;
}

export type EntryKind = "file" | "dir" | "symlink" | "hardlink" | "other";

/** One tar entry of a layer, as the layer records it (nothing is extracted). */
export interface LayerEntry {
  /** Normalised: no leading `./` or `/`, forward slashes (e.g. `root/.ssh/id_rsa`). */
  path: string;
  kind: EntryKind;
  size: number;
  /**
   * A whiteout (`.wh.<name>`): this layer deletes `path` (already stripped of `.wh.`); the
   * file stays readable in the lower layer's blob. An opaque folder (`.wh..wh..opq`) sets
   * `opaque` with `path` the folder.
   */
  whiteout?: boolean;
  opaque?: boolean;
  /** Symlink or hardlink target. */
  linkTarget?: string;
}

/**
 * Callbacks for one image: `wantsContent` decides, from the entry's header alone, whether the
 * reader hands over the content (it must be a file of at most `maxContentBytes`); otherwise the
 * content is skipped unread (streamed past, never buffered).
 */
export interface ImageVisitor {
  /** Called once per platform image, before any of its entries. */
  image(meta: ImageMeta): void;
  wantsContent(layer: LayerMeta, entry: LayerEntry): boolean;
  entry(layer: LayerMeta, entry: LayerEntry, content?: Uint8Array): void;
}

export interface ReadImageOptions {
  /** Upper bound on content handed to the visitor (default 64 KiB). */
  maxContentBytes?: number;
  signal?: AbortSignal;
}

/** An input that cannot be read: the CLI prints it (exit 2) and goes on with the next input. */
export class ImageReadError extends Error {
  constructor(
    readonly input: string,
    message: string,
  ) {
    super(`${input}: ${message}`);
  }
}
