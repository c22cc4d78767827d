// The pages of access keys loaded so far (of every collection, or of one): each page is fetched once.
import { appendPage } from './access-keys';
import { toAppError, type Api } from '../platform/client';
import type { AccessKeyPageView } from '../bindings/AccessKeyPageView';
import type { AccessKeyRow } from '../bindings/AccessKeyRow';
import type { Freshness } from '../bindings/Freshness';

/** Of rows read in several pages: the oldest fetch, the first failure. */
export function oldest(a: Freshness | null, b: Freshness): Freshness {
  if (a === null) return b;
  return { fetchedAt: Math.min(a.fetchedAt, b.fetchedAt), fromCache: a.fromCache && b.fromCache, failure: a.failure ?? b.failure };
}

export type PagerApi = Pick<Api, 'sharingPage'>;

export class KeyPager {
  /** Every row loaded, in the server's order. Raw: replaced, never mutated. */
  rows: readonly AccessKeyRow[] = $state.raw([]);
  loading = $state(false);
  /** At least the first page came back (or failed). */
  loaded = $state(false);
  error: string | null = $state(null);
  /** The cursor of the next page; null once the last page is in. */
  next: string | null = $state(null);
  /** How many pages are loaded (a refresh after a revoke reads as many again). */
  pages = $state(0);
  /** Where the rows shown come from (null until a page arrived); kept when a refresh fails. */
  source: Freshness | null = $state.raw(null);
  /** `error` is a refresh's: the rows shown are the older copy `source` dates. */
  refreshFailed = $state(false);

  #api: PagerApi;
  #collection: string | null;
  /** Cursors already fetched in this generation: a page is never asked for twice. */
  #asked = new Set<string | null>();
  #generation = 0;
  #fresh = false;

  constructor(api: PagerApi, collection: string | null) {
    this.#api = api;
    this.#collection = collection;
  }

  get more(): boolean {
    return this.next !== null;
  }

  /** The first page (no-op when already loaded or loading). */
  start(): Promise<void> {
    if (this.loaded || this.loading) return Promise.resolve();
    return this.#fetch(null, false);
  }

  /** The next page, once. */
  loadMore(): Promise<void> {
    if (this.loading || this.next === null || this.#asked.has(this.next)) return Promise.resolve();
    // After a refresh the later pages must be as fresh as the first (the cache may be older).
    return this.#fetch(this.next, this.#fresh);
  }

  /**
   * Starts again with force=true (the server's answer, not the cache): `keepPages` reads as many
   * pages as were loaded (after a revoke), otherwise only the first one.
   */
  async refresh(keepPages = false): Promise<void> {
    const want = keepPages ? Math.max(1, this.pages) : 1;
    const generation = ++this.#generation;
    this.#fresh = true;
    this.#asked = new Set();
    this.refreshFailed = false;
    await this.#run(
      generation,
      async () => {
        let rows: AccessKeyRow[] = [];
        let cursor: string | null = null;
        let pages = 0;
        let source: Freshness | null = null;
        do {
          const page = await this.#page(generation, cursor, true);
          if (page === null) return;
          rows = appendPage(rows, page.rows);
          source = oldest(source, page.source);
          cursor = page.nextCursor;
          pages++;
        } while (pages < want && cursor !== null);
        this.rows = rows;
        this.source = source;
        this.next = cursor;
        this.pages = pages;
      },
      (message) => {
        this.error = message;
        this.refreshFailed = true;
      },
    );
  }

  #fetch(cursor: string | null, force: boolean): Promise<void> {
    const generation = this.#generation;
    return this.#run(
      generation,
      async () => {
        const page = await this.#page(generation, cursor, force);
        if (page === null) return;
        this.rows = appendPage(this.rows, page.rows);
        this.source = oldest(this.pages === 0 ? null : this.source, page.source);
        this.next = page.nextCursor;
        this.pages++;
      },
      (message) => {
        this.#asked.delete(cursor); // a failed page may be asked for again (Retry)
        this.error = message;
        this.refreshFailed = false;
      },
    );
  }

  /** The page at `cursor`, asked for once in this generation; null when a refresh began since. */
  async #page(generation: number, cursor: string | null, force: boolean): Promise<AccessKeyPageView | null> {
    this.#asked.add(cursor);
    const page = await this.#api.sharingPage({ collection: this.#collection, cursor, force });
    return generation === this.#generation ? page : null;
  }

  /**
   * Runs `read` as `generation`'s: loading while it runs, loaded once it ends, its error to
   * `failed`; nothing of it is kept once a refresh began since.
   */
  async #run(generation: number, read: () => Promise<void>, failed: (message: string) => void): Promise<void> {
    this.loading = true;
    this.error = null;
    try {
      await read();
    } catch (e) {
      if (generation === this.#generation) failed(toAppError(e).message);
    } finally {
      if (generation === this.#generation) {
        this.loading = false;
        this.loaded = true;
      }
    }
  }

  /** Puts a key just added at the top (the Share panel), without reading the pages again. */
  prepend(row: AccessKeyRow) {
    this.rows = [row, ...this.rows.filter((r) => r.id !== row.id)];
  }
}
