// Pure helpers for the folder/request tree of a Postman Collection v2.1 document.

export interface PmUrlObject {
  raw?: string;
  [k: string]: unknown;
}
export interface PmRequest {
  method?: string;
  url?: string | PmUrlObject;
  [k: string]: unknown;
}
/** A folder has `item`; a request has `request`. Other fields are kept but not read here. */
export interface PmItem {
  id?: string;
  name?: string;
  item?: PmItem[];
  /** How many items a folder holds when `item` does not carry them all (not sent yet). */
  childCount?: number;
  request?: PmRequest | string;
  [k: string]: unknown;
}

export interface TreeRow {
  /** Path of indices from the root, joined with '/': stable within one document. */
  key: string;
  depth: number;
  kind: 'folder' | 'request';
  name: string;
  method: string;
  url: string;
  expanded: boolean;
  /** Number of children (folders only). */
  childCount: number;
  parentKey: string | null;
  /** 1-based position among siblings and the number of siblings (for aria-posinset/setsize). */
  pos: number;
  siblings: number;
  item: PmItem;
}

import type { TreeNode } from '../bindings/TreeNode';

export const isFolder = (it: PmItem): boolean => Array.isArray(it.item);

export function urlText(req: PmItem['request']): string {
  if (typeof req === 'string') return req;
  const u = req?.url;
  if (typeof u === 'string') return u;
  return typeof u?.raw === 'string' ? u.raw : '';
}

export function methodOf(req: PmItem['request']): string {
  if (typeof req === 'string') return 'GET';
  return (req?.method ?? 'GET').toUpperCase();
}

/** Rows visible when the folders whose keys are in `expanded` are open, depth first. Iterative: deep trees cannot overflow the stack. */
export function flattenVisible(items: readonly PmItem[], expanded: ReadonlySet<string>): TreeRow[] {
  const out: TreeRow[] = [];
  type Frame = { list: readonly PmItem[]; i: number; prefix: string; depth: number; parentKey: string | null };
  const stack: Frame[] = [{ list: items, i: 0, prefix: '', depth: 0, parentKey: null }];
  while (stack.length) {
    const f = stack[stack.length - 1]!;
    if (f.i >= f.list.length) {
      stack.pop();
      continue;
    }
    const idx = f.i++;
    const it = f.list[idx]!;
    const key = f.prefix + idx;
    const folder = isFolder(it);
    const open = folder && expanded.has(key);
    out.push({
      key,
      depth: f.depth,
      kind: folder ? 'folder' : 'request',
      name: it.name ?? '',
      method: folder ? '' : methodOf(it.request),
      url: folder ? '' : urlText(it.request),
      expanded: open,
      childCount: folder ? Math.max(it.childCount ?? 0, it.item!.length) : 0,
      parentKey: f.parentKey,
      pos: idx + 1,
      siblings: f.list.length,
      item: it,
    });
    if (open) stack.push({ list: it.item!, i: 0, prefix: key + '/', depth: f.depth + 1, parentKey: key });
  }
  return out;
}

/** Number of requests in the whole tree, folders excluded. */
export function countRequests(items: readonly PmItem[]): number {
  let n = 0;
  const stack: (readonly PmItem[])[] = [items];
  while (stack.length) {
    for (const it of stack.pop()!) {
      if (isFolder(it)) stack.push(it.item!);
      else n++;
    }
  }
  return n;
}

/** Keys of every folder (for "expand all"). */
export function allFolderKeys(items: readonly PmItem[]): Set<string> {
  const keys = new Set<string>();
  const stack: { list: readonly PmItem[]; prefix: string }[] = [{ list: items, prefix: '' }];
  while (stack.length) {
    const { list, prefix } = stack.pop()!;
    list.forEach((it, i) => {
      if (isFolder(it)) {
        keys.add(prefix + i);
        stack.push({ list: it.item!, prefix: `${prefix}${i}/` });
      }
    });
  }
  return keys;
}

/** The drafts module's `TreeNode` outline (`method: null` for a folder) as the items CollectionTree shows. */
export function itemsFromTreeNodes(nodes: readonly TreeNode[]): PmItem[] {
  const convert = (n: TreeNode): PmItem =>
    n.method === null
      ? { ...(n.id === null ? {} : { id: n.id }), name: n.name, item: n.children.map(convert), childCount: n.childCount }
      : { ...(n.id === null ? {} : { id: n.id }), name: n.name, request: { method: n.method, url: n.url ?? '' } };
  return nodes.map(convert);
}
