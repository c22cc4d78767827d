import { describe, expect, it } from 'vitest';
import type { AccessKeyRow } from '../bindings/AccessKeyRow';
import { okOf } from '../testing/recorded';
import { EXPIRING } from '../testing/scenarios';
import { appendPage, collectionOptions, dateOf, expiresInText, filterRows, lastUsedText, nextSort, sortRows } from './access-keys';

/** A row as Rust lists it, with some fields changed for the pure helpers under test. */
const accessKeyRow = (over: Partial<AccessKeyRow> = {}): AccessKeyRow => ({
  ...okOf('sharing_page', EXPIRING).rows[0]!,
  collectionUid: 'c-1',
  collectionName: 'Billing API',
  ...over,
});

describe('access key helpers', () => {
  it('says when a key expires', () => {
    expect(expiresInText(accessKeyRow({ daysLeft: 3, status: 'expiring' }))).toBe('in 3 days');
    expect(expiresInText(accessKeyRow({ daysLeft: 1, status: 'expiring' }))).toBe('in 1 day');
    expect(expiresInText(accessKeyRow({ daysLeft: 0, status: 'expiring' }))).toBe('today');
    expect(expiresInText(accessKeyRow({ daysLeft: -1, status: 'expired' }))).toBe('expired');
    expect(expiresInText(accessKeyRow({ daysLeft: null }))).toBe('');
    expect(lastUsedText(accessKeyRow({ lastUsedAt: null }))).toBe('never');
    expect(dateOf('2026-11-20T08:00:00.000Z')).toBe('2026-11-20');
    expect(dateOf(null)).toBe('—');
  });

  it('sorts by a column with unknown values last, and flips on a second click', () => {
    const rows = [
      accessKeyRow({ id: 'a', collectionName: 'beta' }),
      accessKeyRow({ id: 'b', collectionName: null, collectionUid: null }),
      accessKeyRow({ id: 'c', collectionName: 'Alpha' }),
    ];
    expect(sortRows(rows, { key: 'collection', dir: 'ascending' }).map((r) => r.id)).toEqual(['b', 'c', 'a']);
    const byUse = [accessKeyRow({ id: 'x', lastUsedAt: null }), accessKeyRow({ id: 'y', lastUsedAt: '2026-01-01T00:00:00Z' })];
    expect(sortRows(byUse, { key: 'lastUsedAt', dir: 'descending' }).map((r) => r.id)).toEqual(['y', 'x']);
    expect(nextSort(null, 'status')).toEqual({ key: 'status', dir: 'ascending' });
    expect(nextSort({ key: 'status', dir: 'ascending' }, 'status')).toEqual({ key: 'status', dir: 'descending' });
  });

  it('filters, lists the collections and appends pages without duplicates', () => {
    const rows = [
      accessKeyRow({ id: 'a', collectionUid: 'c-1', status: 'active' }),
      accessKeyRow({ id: 'b', collectionUid: null, collectionName: null, status: 'expired' }),
      accessKeyRow({ id: 'c', collectionUid: 'c-2', collectionName: null, status: 'expired' }),
    ];
    expect(filterRows(rows, null, 'expired').map((r) => r.id)).toEqual(['b', 'c']);
    expect(filterRows(rows, '', 'all').map((r) => r.id)).toEqual(['b']);
    expect(collectionOptions(rows)).toEqual([
      { uid: '', label: '(no collection)' },
      { uid: 'c-1', label: 'Billing API' },
      { uid: 'c-2', label: 'c-2' },
    ]);
    expect(appendPage(rows.slice(0, 2), rows.slice(1)).map((r) => r.id)).toEqual(['a', 'b', 'c']);
  });
});
