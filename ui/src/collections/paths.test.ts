import { describe, expect, it } from 'vitest';
import {
  ancestorsOf,
  appendedKey,
  childCountOf,
  dropMove,
  folderTree,
  isUnloaded,
  mayHold,
  indexOf,
  isWithin,
  keyAfterDelete,
  keyAfterMove,
  nodeAt,
  parentOf,
  stepMove,
  type MoveEdit,
} from './paths';
import type { TreeNode } from '../bindings/TreeNode';

const folder = (name: string, children: TreeNode[]): TreeNode => ({ id: null, name, method: null, url: null, childCount: children.length, children });
const request = (name: string): TreeNode => ({ id: null, name, method: 'GET', url: `/${name}`, childCount: 0, children: [] });
/** A folder sent without its `count` items, as the backend sends one beyond its budget. */
const unsent = (name: string, count: number): TreeNode => ({ id: null, name, method: null, url: null, childCount: count, children: [] });

const tree = (): TreeNode[] => [
  folder('F1', [request('a'), request('b'), folder('F1x', [request('c')])]),
  request('r'),
  folder('F2', [request('d')]),
  request('s'),
];

/** Every key of the tree with the name there. */
function keys(list: readonly TreeNode[], prefix = ''): [string, string][] {
  return list.flatMap((n, i) => [[prefix + i, n.name] as [string, string], ...keys(n.children, `${prefix}${i}/`)]);
}

/** The backend's move (edit.rs `move_item`), on a copy. */
function applyMove(list: TreeNode[], m: MoveEdit): TreeNode[] {
  const copy = structuredClone(list);
  const from = m.from.split('/').map(Number);
  const dst = m.toParent === null ? [] : m.toParent.split('/').map(Number);
  const depth = from.length - 1;
  if (dst.length > depth && from.slice(0, depth).every((x, i) => dst[i] === x) && dst[depth]! > from[depth]!) dst[depth]! -= 1;
  const listAt = (p: number[]) => p.reduce<TreeNode[]>((l, i) => l[i]!.children, copy);
  const [item] = listAt(from.slice(0, -1)).splice(from[depth]!, 1);
  const target = listAt(dst);
  target.splice(Math.min(m.index, target.length), 0, item!);
  return copy;
}

describe('paths', () => {
  it('splits keys into parent, index and ancestors', () => {
    expect(parentOf('0/3/2')).toBe('0/3');
    expect(parentOf('4')).toBeNull();
    expect(indexOf('0/3/2')).toBe(2);
    expect(ancestorsOf('0/3/2')).toEqual(['0', '0/3']);
    expect(isWithin('0/10', '0/1')).toBe(false);
    expect(isWithin('0/1/4', '0/1')).toBe(true);
    expect(nodeAt(tree(), '0/2/0')?.name).toBe('c');
    expect(nodeAt(tree(), '0/9')).toBeUndefined();
    expect(nodeAt(tree(), '2')?.children.map((n) => n.name)).toEqual(['d']);
    expect(childCountOf(tree(), '2')).toBe(1);
    expect(childCountOf(tree(), '1')).toBe(0);
    expect(appendedKey(null, 4)).toBe('4');
    expect(appendedKey('0/2', 1)).toBe('0/2/1');
  });

  it('steps among siblings only', () => {
    expect(stepMove('0/1', -1, 3)).toEqual({ from: '0/1', toParent: '0', index: 0 });
    expect(stepMove('0/1', 1, 3)).toEqual({ from: '0/1', toParent: '0', index: 2 });
    expect(stepMove('0/0', -1, 3)).toBeNull();
    expect(stepMove('3', 1, 4)).toBeNull();
    const moved = applyMove(tree(), stepMove('1', 1, 4)!);
    expect(moved.map((n) => n.name)).toEqual(['F1', 'F2', 'r', 's']);
  });

  it('drops into a folder at its end and before a request, never into itself', () => {
    expect(dropMove('1', { key: '2', kind: 'folder', childCount: 1 })).toEqual({ from: '1', toParent: '2', index: 1 });
    expect(dropMove('0/0', { key: '0', kind: 'folder', childCount: 3 })).toEqual({ from: '0/0', toParent: '0', index: 2 });
    expect(dropMove('0/2', { key: '0', kind: 'folder', childCount: 3 })).toBeNull(); // already last
    expect(dropMove('0', { key: '0/2', kind: 'folder', childCount: 1 })).toBeNull();
    expect(dropMove('0', { key: '0', kind: 'folder', childCount: 3 })).toBeNull();
    expect(dropMove('3', { key: '1', kind: 'request', childCount: 0 })).toEqual({ from: '3', toParent: null, index: 1 });
    expect(dropMove('0', { key: '3', kind: 'request', childCount: 0 })).toEqual({ from: '0', toParent: null, index: 2 });
    expect(dropMove('1', { key: '2', kind: 'request', childCount: 0 })).toBeNull(); // just before it already
    expect(applyMove(tree(), dropMove('0', { key: '3', kind: 'request', childCount: 0 })!).map((n) => n.name)).toEqual(['r', 'F2', 'F1', 's']);
    expect(applyMove(tree(), dropMove('3', { key: '0/1', kind: 'request', childCount: 0 })!)[0]!.children.map((n) => n.name)).toEqual(['a', 's', 'b', 'F1x']);
  });

  it('follows every item through a move, as the backend moves it', () => {
    const before = tree();
    const all = keys(before).map(([k]) => k);
    const moves: MoveEdit[] = [];
    for (const from of all) {
      for (const parent of [null, ...all.filter((k) => nodeAt(before, k)!.method === null)]) {
        if (parent !== null && isWithin(parent, from)) continue;
        const size = childCountOf(before, parent) - (parentOf(from) === parent ? 1 : 0);
        for (let index = 0; index <= size; index++) moves.push({ from, toParent: parent, index });
      }
    }
    expect(moves.length).toBeGreaterThan(90);
    for (const m of moves) {
      const after = applyMove(before, m);
      for (const [k, name] of keys(before)) {
        expect(nodeAt(after, keyAfterMove(k, m))?.name, `${k} after ${JSON.stringify(m)}`).toBe(name);
      }
    }
  });

  it('follows the other items through a delete', () => {
    expect(keyAfterDelete('0/2/0', '0/1')).toBe('0/1/0');
    expect(keyAfterDelete('2', '0/1')).toBe('2');
    expect(keyAfterDelete('3', '1')).toBe('2');
    expect(keyAfterDelete('0/1', '0')).toBeNull();
    expect(keyAfterDelete('0', '0')).toBeNull();
    expect(keyAfterDelete('10', '1')).toBe('9');
  });

  it('tells a folder sent without its items from an empty or a full one', () => {
    const t = [folder('F', [unsent('big', 3), folder('empty', []), request('a')]), request('r')];
    expect(isUnloaded(t, '0/0')).toBe(true);
    expect(isUnloaded(t, '0/1')).toBe(false);
    expect(isUnloaded(t, '0')).toBe(false);
    expect(isUnloaded(t, '0/2')).toBe(false);
    expect(isUnloaded(t, '7')).toBe(false);
    expect(childCountOf(t, '0/0')).toBe(3);
    expect(childCountOf(t, '0')).toBe(3);
    expect(childCountOf(t, null)).toBe(2);
    expect(childCountOf(t, '1')).toBe(0);
  });

  it('says an item may be there only inside a folder not sent yet, and within its count', () => {
    const t = [folder('F', [unsent('big', 3), request('a')]), request('r')];
    expect(mayHold(t, '0/1')).toBe(true);
    expect(mayHold(t, '0/0/2')).toBe(true);
    expect(mayHold(t, '0/0/2/5')).toBe(true);
    expect(mayHold(t, '0/0/3')).toBe(false);
    expect(mayHold(t, '0/2')).toBe(false);
    expect(mayHold(t, '1/0')).toBe(false);
    expect(mayHold(t, '2')).toBe(false);
  });

  it('grafts fetched folders and copies only the nodes on the way', () => {
    const inner = [request('x'), unsent('deep', 1)];
    const t = [folder('F', [unsent('big', 2), request('a')]), folder('G', [request('g')])];
    const loaded = new Map<string, readonly TreeNode[]>([
      ['0/0/1', [request('y')]],
      ['0/0', inner],
    ]);
    const out = folderTree(t, loaded);
    expect(keys(out)).toEqual([
      ['0', 'F'], ['0/0', 'big'], ['0/0/0', 'x'], ['0/0/1', 'deep'], ['0/0/1/0', 'y'], ['0/1', 'a'], ['1', 'G'], ['1/0', 'g'],
    ]);
    expect(out[1]).toBe(t[1]);
    expect(t[0]!.children[0]!.children).toEqual([]);
    expect(folderTree(t, new Map())).toBe(t);
    // A folder whose count no longer matches what was fetched, or that is gone, keeps what the tree says.
    expect(folderTree(t, new Map([['0/0', [request('only one')]]]))).toBe(t);
    expect(folderTree(t, new Map([['5', [request('z')]]]))).toBe(t);
    expect(folderTree(t, new Map([['0/1', [request('z')]]]))).toBe(t);
  });
});
