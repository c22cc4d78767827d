// Pure helpers for the Sharing view and the Share panel (unit-tested).
import type { AccessKeyRow } from '../bindings/AccessKeyRow';
import type { AccessKeyStatus } from '../bindings/AccessKeyStatus';
import type { Copied } from '../bindings/Copied';

export type SortKey = 'collection' | 'masked' | 'createdBy' | 'createdAt' | 'expiresAt' | 'lastUsedAt' | 'status';
export type SortDir = 'ascending' | 'descending';
export interface Sort {
  key: SortKey;
  dir: SortDir;
}
export type StatusFilter = 'all' | AccessKeyStatus;

export const STATUS_LABEL: Record<AccessKeyStatus, string> = {
  active: 'Active',
  expiring: 'Expiring',
  expired: 'Expired',
  inactive: 'Inactive',
};

export const STATUS_FILTERS: readonly { id: StatusFilter; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'active', label: 'Active' },
  { id: 'expiring', label: 'Expiring within 7 days' },
  { id: 'expired', label: 'Expired' },
  { id: 'inactive', label: 'Inactive' },
];

/** Whole days until expiry (negative once expired), or null when unknown. */
export function daysLeftOf(row: Pick<AccessKeyRow, 'daysLeft'>): number | null {
  return row.daysLeft;
}

/** What the collection column shows: its name, else its uid. */
export function collectionLabel(row: Pick<AccessKeyRow, 'collectionName' | 'collectionUid'>): string {
  return row.collectionName ?? row.collectionUid ?? '—';
}

/** The date part of an ISO timestamp (what Postman sends), or the text as it came. */
export function dateOf(iso: string | null): string {
  if (iso === null) return '—';
  return /^\d{4}-\d{2}-\d{2}/.test(iso) ? iso.slice(0, 10) : iso;
}

/** "in 3 days", "today", "expired" or "" (no expiry known). */
export function expiresInText(row: Pick<AccessKeyRow, 'daysLeft' | 'status'>): string {
  const days = daysLeftOf(row);
  if (row.status === 'expired' || (days !== null && days < 0)) return 'expired';
  if (days === null) return '';
  if (days === 0) return 'today';
  return `in ${days} day${days === 1 ? '' : 's'}`;
}

export function lastUsedText(row: Pick<AccessKeyRow, 'lastUsedAt'>): string {
  return row.lastUsedAt === null ? 'never' : dateOf(row.lastUsedAt);
}

const STATUS_ORDER: Record<AccessKeyStatus, number> = { expiring: 0, active: 1, expired: 2, inactive: 3 };

function sortValue(row: AccessKeyRow, key: SortKey): string | number | null {
  switch (key) {
    case 'collection': return collectionLabel(row).toLocaleLowerCase();
    case 'masked': return row.masked;
    case 'createdBy': return row.createdBy;
    case 'createdAt': return row.createdAt === null ? null : Date.parse(row.createdAt);
    case 'expiresAt': return row.expiresAt === null ? null : Date.parse(row.expiresAt);
    case 'lastUsedAt': return row.lastUsedAt === null ? null : Date.parse(row.lastUsedAt);
    case 'status': return STATUS_ORDER[row.status];
  }
}

/** A sorted copy; unknown values (null, unparsable dates) go last whatever the direction. */
export function sortRows(rows: readonly AccessKeyRow[], sort: Sort): AccessKeyRow[] {
  const sign = sort.dir === 'ascending' ? 1 : -1;
  const keyed = rows.map((row, i) => {
    const v = sortValue(row, sort.key);
    return { row, i, v: typeof v === 'number' && Number.isNaN(v) ? null : v };
  });
  keyed.sort((a, b) => {
    if (a.v === null || b.v === null) return a.v === b.v ? a.i - b.i : a.v === null ? 1 : -1;
    const c = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : String(a.v).localeCompare(String(b.v));
    return c === 0 ? a.i - b.i : c * sign;
  });
  return keyed.map((k) => k.row);
}

/** Clicking a header: the same column flips its direction, another one starts ascending. */
export function nextSort(current: Sort | null, key: SortKey): Sort {
  return current?.key === key ? { key, dir: current.dir === 'ascending' ? 'descending' : 'ascending' } : { key, dir: 'ascending' };
}

/** `collection`: a uid, `''` for keys of no known collection, or null for all. */
export function filterRows(rows: readonly AccessKeyRow[], collection: string | null, status: StatusFilter): AccessKeyRow[] {
  return rows.filter(
    (r) => (collection === null || (r.collectionUid ?? '') === collection) && (status === 'all' || r.status === status),
  );
}

/** The collections of the loaded rows, for the filter: uid ('' when none) and label, by label. */
export function collectionOptions(rows: readonly AccessKeyRow[]): { uid: string; label: string }[] {
  const seen = new Map<string, string>();
  for (const r of rows) {
    const uid = r.collectionUid ?? '';
    if (!seen.has(uid) || (r.collectionName !== null && seen.get(uid) === uid)) seen.set(uid, uid === '' ? '(no collection)' : collectionLabel(r));
  }
  return [...seen].map(([uid, label]) => ({ uid, label })).sort((a, b) => a.label.localeCompare(b.label));
}

/** Appends a page, dropping rows already listed (a key created meanwhile shifts the pages). */
export function appendPage(rows: readonly AccessKeyRow[], page: readonly AccessKeyRow[]): AccessKeyRow[] {
  const ids = new Set(rows.map((r) => r.id));
  return [...rows, ...page.filter((r) => !ids.has(r.id))];
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** What the view says after Rust put a share text (`what`: "link", "curl command"…) on the clipboard. */
export function copiedText(what: string, masked: string, copied: Copied): string {
  const kept = copied.hiddenFromHistory ? ' It is kept out of clipboard history, and' : ' It is';
  return `Copied the ${what} of ${masked}.${kept} cleared from the clipboard in ${copied.clearsInSecs} s unless you copy something else.`;
}
