// A list read through the API (the collections or environments of a workspace, the workspaces):
// loading, its error, where the rows shown come from, and "the newest request wins" when loads
// overlap (a workspace switch during a refresh). A refresh that fails keeps the rows and their
// source: the view says the refresh failed and how old the rows are, never that they are new.
import type { Freshness } from '../bindings/Freshness';
import type { Listed } from '../bindings/Listed';
import { messageOf } from './library';

export class ListLoader<T> {
  /** Raw: a list of 10,000 rows must not become 10,000 proxies. */
  rows: T[] = $state.raw([]);
  /** Where `rows` come from (null until a list arrived). */
  source: Freshness | null = $state.raw(null);
  loading = $state(true);
  error: string | null = $state(null);
  #seq = 0;
  readonly #fetch: (force: boolean) => Promise<Listed<T>>;

  constructor(fetch: (force: boolean) => Promise<Listed<T>>) {
    this.#fetch = fetch;
  }

  /** Reads the list (`force`: past the cache); an older load finishing later is ignored. */
  async load(force: boolean): Promise<void> {
    const seq = ++this.#seq;
    this.loading = true;
    this.error = null;
    try {
      const listed = await this.#fetch(force);
      if (seq === this.#seq) {
        this.rows = listed.rows;
        this.source = listed.source;
      }
    } catch (e) {
      if (seq === this.#seq) this.error = messageOf(e);
    } finally {
      if (seq === this.#seq) this.loading = false;
    }
  }

  /** Forgets the rows (another workspace: they are not the ones asked for). */
  clear() {
    this.#seq++;
    this.rows = [];
    this.source = null;
  }
}
