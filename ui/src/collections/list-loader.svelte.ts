// A list read through the API (the collections or environments of a workspace, the workspaces):
// a Loadable of the list (loading, its error, "the newest request wins"), read as its rows and
// where they come from. A refresh that fails keeps the rows and their source: the view says the
// refresh failed and how old the rows are, never that they are new.
import type { Freshness } from '../bindings/Freshness';
import type { Listed } from '../bindings/Listed';
import { Loadable } from '../lib/loadable.svelte';

const NONE: never[] = [];

export class ListLoader<T> extends Loadable<Listed<T>> {
  constructor(fetch: (force: boolean) => Promise<Listed<T>>) {
    // Loading until the first list arrived.
    super(fetch, { loading: true });
  }

  /** The rows shown (none until a list arrived). Replaced, never mutated: 10,000 rows stay plain. */
  get rows(): T[] {
    return this.value?.rows ?? NONE;
  }
  /** Changes the rows shown (an edit the server has, before the list is read again). */
  set rows(rows: T[]) {
    if (this.value) this.value = { ...this.value, rows };
  }

  /** Where `rows` come from (null until a list arrived). */
  get source(): Freshness | null {
    return this.value?.source ?? null;
  }
}
