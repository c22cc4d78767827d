// Which unsaved drafts were "restored": on disk when a kind was first listed in this app session
// (left from an earlier run). Drafts made since then are not announced again when a view reopens.

import type { DraftInfo } from '../bindings/DraftInfo';
import type { DraftKind } from '../bindings/DraftKind';
import { draftsOfKind } from './library';

const restored = new Map<DraftKind, Set<string>>();

/** The drafts of `kind` in `drafts` that were restored from disk and are still unsaved. */
export function restoredDrafts(kind: DraftKind, drafts: readonly DraftInfo[]): DraftInfo[] {
  const mine = draftsOfKind(drafts, kind);
  let ids = restored.get(kind);
  if (!ids) {
    ids = new Set(mine.map((d) => d.id));
    restored.set(kind, ids);
  }
  const known = ids;
  return mine.filter((d) => known.has(d.id));
}

/** One draft was saved, discarded or deleted; without `id`: the notice was dismissed. */
export function forgetRestored(kind: DraftKind, id?: string): void {
  if (id === undefined) restored.set(kind, new Set());
  else restored.get(kind)?.delete(id);
}

/** For tests: a new app session. */
export function resetRestored(): void {
  restored.clear();
}
