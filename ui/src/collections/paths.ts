// Pure helpers for the index paths that address tree items ("0/3/2", the keys of TreeRow) and for
// the `moveItem` edits of the collection editor. They follow the backend's rules
// (src-tauri/library/edit.rs): `toParent` is given as the tree is before the move, `index`
// counts in the target list once the item has been taken out.

import type { TreeNode } from '../bindings/TreeNode';

export interface MoveEdit {
  from: string;
  toParent: string | null;
  index: number;
}

const parts = (key: string): number[] => (key === '' ? [] : key.split('/').map(Number));
const join = (p: readonly number[]): string => p.join('/');

/** The parent's key, or null at the top level. */
export function parentOf(key: string): string | null {
  const at = key.lastIndexOf('/');
  return at === -1 ? null : key.slice(0, at);
}

/** 0-based position among the siblings. */
export function indexOf(key: string): number {
  return Number(key.slice(key.lastIndexOf('/') + 1));
}

/** True when `key` is `ancestor` or lies inside it. */
export function isWithin(key: string, ancestor: string): boolean {
  return key === ancestor || key.startsWith(`${ancestor}/`);
}

/** Keys of the folders that contain `key`, outermost first. */
export function ancestorsOf(key: string): string[] {
  const p = parts(key);
  return p.slice(0, -1).map((_, i) => join(p.slice(0, i + 1)));
}

/** The node at `key`, or undefined when there is none. */
export function nodeAt(tree: readonly TreeNode[], key: string): TreeNode | undefined {
  let list: readonly TreeNode[] = tree;
  let node: TreeNode | undefined;
  for (const i of parts(key)) {
    node = list[i];
    if (!node) return undefined;
    list = node.children;
  }
  return node;
}

/** How many items the folder at `parent` holds (the top level for null), sent or not. */
export function childCountOf(tree: readonly TreeNode[], parent: string | null): number {
  if (parent === null) return tree.length;
  const node = nodeAt(tree, parent);
  return node && node.method === null ? node.childCount : 0;
}

/** The folder at `key` was sent without its items (a large tree comes in parts; see `folderTree`). */
export function isUnloaded(tree: readonly TreeNode[], key: string): boolean {
  const node = nodeAt(tree, key);
  return node !== undefined && node.method === null && node.children.length < node.childCount;
}

/** The item at `key` is in `tree`, or may be: it lies inside a folder whose items were not sent. */
export function mayHold(tree: readonly TreeNode[], key: string): boolean {
  let list: readonly TreeNode[] = tree;
  const p = parts(key);
  for (let d = 0; d < p.length; d++) {
    const node = list[p[d]!];
    if (!node) return false;
    if (d === p.length - 1) return true;
    if (node.method !== null) return false;
    if (node.children.length < node.childCount) return p[d + 1]! < node.childCount;
    list = node.children;
  }
  return false;
}

/**
 * `tree` with the items of folders it was sent without, fetched since (`loaded`: by folder key).
 * A folder already holding its items, or no longer there, keeps what `tree` says. Only the
 * nodes on the way to a grafted folder are copied.
 */
export function folderTree(tree: readonly TreeNode[], loaded: ReadonlyMap<string, readonly TreeNode[]>): readonly TreeNode[] {
  if (loaded.size === 0) return tree;
  const put = (list: readonly TreeNode[], path: readonly number[], kids: readonly TreeNode[]): readonly TreeNode[] => {
    const [i, ...rest] = path;
    const node = list[i!];
    if (!node || node.method !== null) return list;
    let next: TreeNode = node;
    if (rest.length > 0) {
      const children = put(node.children, rest, kids);
      if (children !== node.children) next = { ...node, children: [...children] };
    } else if (node.children.length < node.childCount && kids.length === node.childCount) {
      next = { ...node, children: [...kids] };
    }
    if (next === node) return list;
    const copy = list.slice();
    copy[i!] = next;
    return copy;
  };
  let out = tree;
  const keys = [...loaded.keys()].sort((a, b) => parts(a).length - parts(b).length);
  for (const k of keys) out = put(out, parts(k), loaded.get(k)!);
  return out;
}

/** One step up or down among the siblings; null at either end. */
export function stepMove(key: string, delta: -1 | 1, siblings: number): MoveEdit | null {
  const i = indexOf(key);
  const to = i + delta;
  if (to < 0 || to >= siblings) return null;
  return { from: key, toParent: parentOf(key), index: to };
}

export interface DropTarget {
  key: string;
  kind: 'folder' | 'request';
  /** Number of children of a folder. */
  childCount: number;
}

/**
 * Dragging `from` onto `target`: into a folder at its end, before a request.
 * Null when the drop would do nothing or is impossible (a folder into itself or its content).
 */
export function dropMove(from: string, target: DropTarget): MoveEdit | null {
  if (isWithin(target.key, from)) return null;
  const fromParent = parentOf(from);
  if (target.kind === 'folder') {
    const index = target.childCount - (fromParent === target.key ? 1 : 0);
    if (fromParent === target.key && indexOf(from) === index) return null;
    return { from, toParent: target.key, index };
  }
  const toParent = parentOf(target.key);
  const j = indexOf(target.key);
  const index = j - (fromParent === toParent && indexOf(from) < j ? 1 : 0);
  if (fromParent === toParent && indexOf(from) === index) return null;
  return { from, toParent, index };
}

/** The target folder's path once the moved item is out (the backend's adjustment). */
function adjustedParent(from: readonly number[], toParent: readonly number[]): number[] {
  const dst = toParent.slice();
  const depth = from.length - 1;
  const last = from[depth]!;
  const sameBranch = from.slice(0, depth).every((x, i) => dst[i] === x);
  if (dst.length > depth && sameBranch && dst[depth]! > last) dst[depth] = dst[depth]! - 1;
  return dst;
}

/** Where the item at `key` is after deleting `deleted`; null when it went with it. */
export function keyAfterDelete(key: string, deleted: string): string | null {
  if (isWithin(key, deleted)) return null;
  const k = parts(key);
  const d = parts(deleted);
  const depth = d.length - 1;
  if (k.length > depth && d.slice(0, depth).every((x, i) => k[i] === x) && k[depth]! > d[depth]!) {
    k[depth] = k[depth]! - 1;
  }
  return join(k);
}

/** Where the item at `key` is after `move` (the moved item, its content and every other item). */
export function keyAfterMove(key: string, move: MoveEdit): string {
  const src = parts(move.from);
  const dst = adjustedParent(src, parts(move.toParent ?? ''));
  if (isWithin(key, move.from)) return join([...dst, move.index, ...parts(key).slice(src.length)]);
  const k = parts(keyAfterDelete(key, move.from)!);
  const depth = dst.length;
  if (k.length > depth && dst.every((x, i) => k[i] === x) && k[depth]! >= move.index) k[depth] = k[depth]! + 1;
  return join(k);
}

/** The key a new item gets when appended to `parent`, which has `count` children. */
export function appendedKey(parent: string | null, count: number): string {
  return parent === null ? String(count) : `${parent}/${count}`;
}
