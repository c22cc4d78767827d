// One value read through the API and shown as it is read again (a workspace's mocks or monitors,
// the usage figures, the app's info, a library list): whether it is loading, the last read's error,
// and "the newest request wins" when reads overlap (a workspace switch during a refresh). A read
// that fails keeps the value shown: the view says the read failed, never that the value is new.
import { toAppError } from '../platform/client';

export class Loadable<T> {
  /** The last value read (null until one arrived). Raw: replaced, never mutated. */
  value: T | null = $state.raw(null);
  loading = $state(false);
  /** Why the last read failed (null while it runs and once it succeeded). */
  error: string | null = $state(null);
  #seq = 0;
  readonly #fetch: (force: boolean) => Promise<T>;

  /**
   * `fetch` reads the value (`force`: past the cache); `loading` is the state before the first
   * read (true where the view shows "Loading…" until then).
   */
  constructor(fetch: (force: boolean) => Promise<T>, { loading = false }: { loading?: boolean } = {}) {
    this.#fetch = fetch;
    this.loading = loading;
  }

  /** Reads the value (`force`: past the cache); an older read finishing later is ignored. */
  async load(force: boolean): Promise<void> {
    const seq = ++this.#seq;
    this.loading = true;
    this.error = null;
    try {
      const value = await this.#fetch(force);
      if (seq === this.#seq) this.value = value;
    } catch (e) {
      if (seq === this.#seq) this.error = toAppError(e).message;
    } finally {
      if (seq === this.#seq) this.loading = false;
    }
  }

  /** Forgets the value (it is not the one asked for any more); a read under way is ignored. */
  clear() {
    this.#seq++;
    this.value = null;
  }
}
