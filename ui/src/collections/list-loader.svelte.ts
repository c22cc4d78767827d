// A list read through the API (the collections or environments of a workspace, the workspaces):
// loading, its error, and "the newest request wins" when loads overlap (a workspace switch during
// a refresh).
import { messageOf } from './library';

export class ListLoader<T> {
  /** Raw: a list of 10,000 rows must not become 10,000 proxies. */
  rows: T[] = $state.raw([]);
  loading = $state(true);
  error: string | null = $state(null);
  #seq = 0;
  readonly #fetch: (force: boolean) => Promise<T[]>;

  constructor(fetch: (force: boolean) => Promise<T[]>) {
    this.#fetch = fetch;
  }

  /** Reads the list (`force`: past the cache); an older load finishing later is ignored. */
  async load(force: boolean): Promise<void> {
    const seq = ++this.#seq;
    this.loading = true;
    this.error = null;
    try {
      const rows = await this.#fetch(force);
      if (seq === this.#seq) this.rows = rows;
    } catch (e) {
      if (seq === this.#seq) this.error = messageOf(e);
    } finally {
      if (seq === this.#seq) this.loading = false;
    }
  }
}
