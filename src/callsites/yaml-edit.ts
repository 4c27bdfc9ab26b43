/**
 * Text edits on YAML located with the `yaml` package's node ranges: the file is never re-serialised, so
 * comments, order, quoting and blank lines outside the edited lines stay byte for byte.
 */
import { parseDocument, isMap, isScalar, isSeq, visit, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from "yaml";
import { LineIndex, lastContent } from "./text.js";

export type YNode = Node;

export function parseYaml(text: string): Document | null {
  const doc = parseDocument(text, { keepSourceTokens: false, uniqueKeys: false });
  return doc.errors.length ? null : doc;
}

/**
 * The text parses, and no mapping repeats a key. The `yaml` package's own duplicate check compares
 * each key with every earlier one (quadratic in a map's size: minutes for a crafted compose file
 * with thousands of services), so keys are checked here with a set.
 */
export function yamlIsValid(text: string): boolean {
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length) return false;
  let unique = true;
  visit(doc, {
    Map(_k, map) {
      const seen = new Set<string>();
      for (const p of map.items) {
        if (!isScalar(p.key)) continue;
        const k = `${typeof p.key.value}:${String(p.key.value)}`;
        if (seen.has(k)) {
          unique = false;
          return visit.BREAK;
        }
        seen.add(k);
      }
      return undefined;
    },
  });
  return unique;
}

export function keyOf(p: Pair): string | null {
  return isScalar(p.key) ? String(p.key.value) : null;
}

export function getPair(map: unknown, key: string): Pair<any, any> | undefined {
  if (!isMap(map)) return undefined;
  return map.items.find((p) => keyOf(p) === key);
}

export function getMap(map: unknown, key: string): YAMLMap | undefined {
  const v = getPair(map, key)?.value;
  return isMap(v) ? v : undefined;
}

export function scalarString(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  if (node.value === null) return undefined;
  return typeof node.value === "string" ? node.value : String(node.value);
}

/** Offset just after the line end of the last line a node's content uses. */
export function nodeEndLine(text: string, lines: LineIndex, node: Node | null | undefined, fallback: number): number {
  const end = node?.range ? node.range[1] : fallback;
  const startOfNode = node?.range ? node.range[0] : fallback;
  return lines.lineEndAfterEol(lastContent(text, startOfNode, end));
}

/** Whole-line text span of a block map pair; null when the key shares its line with something else (`- key:`). */
export function pairLineSpan(text: string, lines: LineIndex, pair: Pair<any, any>): [number, number] | null {
  const ks = (pair.key as Node).range![0];
  const ls = lines.lineStart(ks);
  if (!/^[ \t]*$/.test(text.slice(ls, ks))) return null;
  return [ls, nodeEndLine(text, lines, pair.value as Node | null, (pair.key as Node).range![1])];
}

/** Text span of a pair to remove from a block map: whole lines, or from its key to the next key for `- key:` first pairs. */
export function pairRemovalSpan(text: string, lines: LineIndex, map: YAMLMap, index: number): [number, number] | null {
  const pair = map.items[index]!;
  const span = pairLineSpan(text, lines, pair);
  if (span) return span;
  const next = map.items[index + 1];
  if (!next) return null;
  return [(pair.key as Node).range![0], (next.key as Node).range![0]];
}

/** Whole-line span of a block sequence item (the `- ` line through its last content line). */
export function seqItemSpan(text: string, lines: LineIndex, item: Node): [number, number] | null {
  const s = item.range![0];
  const ls = lines.lineStart(s);
  if (!/^[ \t]*-[ \t]+$/.test(text.slice(ls, s)) && !/^[ \t]*-$/.test(text.slice(ls, s))) return null;
  return [ls, nodeEndLine(text, lines, item, s)];
}

/** Column of the keys of a block map. */
export function mapKeyColumn(lines: LineIndex, map: YAMLMap): number {
  return lines.column((map.items[0]!.key as Node).range![0]);
}

/** Column of the `-` of a block sequence's items. */
export function seqDashColumn(text: string, lines: LineIndex, seq: YAMLSeq): number {
  const first = seq.items[0] as Node;
  let i = first.range![0] - 1;
  while (i > 0 && text[i] !== "-") i--;
  return lines.column(i);
}

/** Offset where a new entry goes after the last entry of a block collection. */
export function afterLastEntry(text: string, lines: LineIndex, coll: YAMLMap | YAMLSeq): number {
  const last = coll.items[coll.items.length - 1] as Pair<any, any> | Node;
  if (isMap(coll)) {
    const p = last as Pair<any, any>;
    return nodeEndLine(text, lines, (p.value as Node | null) ?? (p.key as Node), (p.key as Node).range![1]);
  }
  const n = last as Node;
  return nodeEndLine(text, lines, n, n.range![0]);
}

export interface YamlStyle {
  /** Indentation step of nested mappings. */
  unit: number;
  /** Indentation of a block sequence's `-` relative to its parent key (0 or the unit, usually). */
  seqOffset: number;
}

export function detectStyle(text: string, doc: Document, lines: LineIndex): YamlStyle {
  let unit = 0;
  visit(doc, {
    Pair(_k, pair, path) {
      if (unit) return visit.BREAK;
      const v = pair.value;
      if (isMap(v) && !v.flow && v.items.length && pair.key && (pair.key as Node).range) {
        const parentCol = lines.column((pair.key as Node).range![0]);
        const childCol = mapKeyColumn(lines, v);
        const parentLine = lines.line((pair.key as Node).range![0]);
        const childLine = lines.line((v.items[0]!.key as Node).range![0]);
        if (childLine > parentLine && childCol > parentCol) unit = childCol - parentCol;
      }
      void path;
      return undefined;
    },
  });
  let seqOffset = -1;
  visit(doc, {
    Pair(_k, pair) {
      if (seqOffset >= 0) return visit.BREAK;
      const v = pair.value;
      if (isSeq(v) && !v.flow && v.items.length && pair.key && (pair.key as Node).range && (v.items[0] as Node)?.range) {
        const keyCol = lines.column((pair.key as Node).range![0]);
        seqOffset = Math.max(0, seqDashColumn(text, lines, v) - keyCol);
      }
      return undefined;
    },
  });
  if (!unit) unit = 2;
  return { unit, seqOffset: seqOffset >= 0 ? seqOffset : unit };
}

export function spaces(n: number): string {
  return " ".repeat(Math.max(0, n));
}

/** Does the text end without a line break? Then an appended block needs one first. */
export function needsLeadingEol(text: string, at: number): boolean {
  return at === text.length && text.length > 0 && !text.endsWith("\n");
}
