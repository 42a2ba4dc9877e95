/**
 * Pointing at the user's own text: the line and column of a path in the YAML document (a value,
 * or its key), the path as the user writes it, and the known setting nearest a typo.
 */
import { isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import { editDistance } from '../edit-distance';

export type Segment = string | number;

export interface Position {
  line: number;
  column: number;
}

/** The node at a path, or null when the path leaves the document. */
export function nodeAt(root: Node, path: Segment[]): Node | null {
  let node: Node | null = root;
  for (const seg of path) {
    const step = child(node, seg);
    if (!step) return null;
    node = step.value;
  }
  return node;
}

function child(node: Node | null, seg: Segment): { key: Node | null; value: Node | null } | null {
  if (isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
    return pair ? { key: pair.key as Node, value: (pair.value as Node | null) ?? null } : null;
  }
  if (isSeq(node) && typeof seg === 'number') {
    const item = node.items[seg];
    return item ? { key: null, value: item as Node } : null;
  }
  return null;
}

/**
 * The position of the value at `path` (or of its key when `onKey`, or when the value is empty).
 * If the path leaves the document, the position of the deepest node that exists; for a key
 * missing from a mapping, that mapping's own key (`dgx:` for `targets.dgx.runner_labels`) rather
 * than its first entry, which may be lines below.
 */
export function locate(root: Node, path: Segment[], onKey: boolean, at: (offset: number) => Position): Position | null {
  let best: Position | null = root.range ? at(root.range[0]) : null;
  let keyOfNode: Position | null = null;
  let node: Node | null = root;
  for (let i = 0; i < path.length; i++) {
    const step = child(node, path[i]!);
    if (!step) return isMap(node) && keyOfNode ? keyOfNode : best;
    const last = i === path.length - 1;
    keyOfNode = step.key?.range ? at(step.key.range[0]) : null;
    if (step.key?.range) best = at(step.key.range[0]);
    const value = step.value;
    const emptyValue = !value || (isScalar(value) && value.value === null && value.range?.[0] === value.range?.[1]);
    if (!(last && onKey && step.key) && !emptyValue && value.range) best = at(value.range[0]);
    node = value;
  }
  return best;
}

export function formatPath(path: readonly Segment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}

/** The known key closest to a typo, when it is close enough to be a likely intent. */
export function nearest(key: string, known: readonly string[]): string | null {
  // Setting names are short; a long key is no typo of one.
  if (key.length > 64) return null;
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : null;
}
