import { describe, expect, it } from 'vitest';
import { collectionRows } from './rows';
import { markUnsaved } from './document-session.svelte';
import { exchanges } from '../testing/recorded';
import type { CollectionColumns } from '../bindings/CollectionColumns';

describe('collectionRows', () => {
  it('makes every recorded list back into its rows, in order, with owners and draft marks', () => {
    const lists = exchanges('library_collections').flatMap((e) => ('ok' in e ? [e.ok] : []));
    expect(lists.length).toBeGreaterThan(2);
    expect(lists.some((c) => c.drafted.length > 0)).toBe(true);
    for (const c of lists) {
      const { rows, source } = collectionRows(c);
      expect(source).toBe(c.source);
      expect(rows.map((r) => r.uid)).toEqual(c.uid);
      expect(rows.map((r) => r.name)).toEqual(c.name);
      expect(rows.map((r) => r.updatedAt)).toEqual(c.updatedAt.map((t) => t ?? ''));
      expect(rows.map((r) => r.owner)).toEqual(c.owner.map((o) => (o === null ? '' : c.owners[o])));
      expect(rows.flatMap((r, i) => (r.hasDraft ? [i] : []))).toEqual(c.drafted);
    }
  });

  it('keeps a row without an owner or an update time, and an empty list', () => {
    const source = { fetchedAt: 1, fromCache: false, failure: null };
    const c: CollectionColumns = {
      uid: ['1-a', 'b', '2-c'],
      name: ['a', 'b', 'c'],
      owners: ['1', '2'],
      owner: [0, null, 1],
      updatedAt: ['2026-01-01T00:00:00.000Z', null, null],
      drafted: [2],
      source,
    };
    expect(collectionRows(c).rows).toEqual([
      { uid: '1-a', name: 'a', owner: '1', updatedAt: '2026-01-01T00:00:00.000Z', hasDraft: false },
      { uid: 'b', name: 'b', owner: '', updatedAt: '', hasDraft: false },
      { uid: '2-c', name: 'c', owner: '2', updatedAt: '', hasDraft: true },
    ]);
    expect(collectionRows({ ...c, uid: [], name: [], owners: [], owner: [], updatedAt: [], drafted: [] }).rows).toEqual([]);
  });

  it('marks the rows the session changed, and keeps every other row as it is', () => {
    const row = (uid: string, hasDraft: boolean) => ({ uid, name: uid, owner: '', updatedAt: '', hasDraft });
    const rows = [row('a', false), row('b', true), row('c', false), row('d', true)];
    const marked = markUnsaved(rows, { a: true, b: false, c: false }, (r) => r.uid);
    expect(marked.map((r) => r.hasDraft)).toEqual([true, false, false, true]);
    expect(marked[2]).toBe(rows[2]); // its mark is the list's own
    expect(marked[3]).toBe(rows[3]); // no mark
    expect(rows.map((r) => r.hasDraft)).toEqual([false, true, false, true]); // not changed in place
  });
});
