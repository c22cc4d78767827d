// The preferences, kept by Rust: read once with `prefs_get`, changed with `prefs_set`, and
// Rust's answer is the truth (it checks and normalises them). The webview stores nothing.
import type { Prefs } from '../bindings/Prefs';
import { toAppError, type Api } from '../platform/client';

/** What the UI changes; the window size is Rust's own (sent back as it came). */
export type PrefsChange = Partial<Omit<Prefs, 'window'>>;

export class PrefsService {
  /** The preferences as Rust keeps them; null until read (or when they could not be read). */
  current: Prefs | null = $state.raw(null);
  /** Read, or failed to read: the views may start with what is known. */
  settled = $state(false);
  /** Why the last read or change failed. */
  error: string | null = $state(null);
  readonly #api: Pick<Api, 'prefsGet' | 'prefsSet'>;
  #loading: Promise<Prefs | null> | null = null;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(api: Pick<Api, 'prefsGet' | 'prefsSet'>) {
    this.#api = api;
  }

  /** Reads the preferences once; later calls share that read. */
  load(): Promise<Prefs | null> {
    this.#loading ??= this.#api.prefsGet().then(
      (prefs) => {
        this.current = prefs;
        this.error = null;
        return prefs;
      },
      (e: unknown) => {
        this.error = toAppError(e).message;
        return null;
      },
    ).finally(() => (this.settled = true));
    return this.#loading;
  }

  /**
   * Sends the preferences with `change` applied; the answer replaces them. Changes run one after
   * the other, each on the answer of the one before. Resolves to false when Rust refused or
   * could not store them (then they are read again: Rust may apply them until it closes).
   */
  update(change: PrefsChange): Promise<boolean> {
    const run = async (): Promise<boolean> => {
      const base = this.current ?? (await this.load());
      if (base === null) return false;
      try {
        this.current = await this.#api.prefsSet({ prefs: { ...base, ...change } });
        this.error = null;
        return true;
      } catch (e) {
        this.error = toAppError(e).message;
        this.current = await this.#api.prefsGet().catch(() => this.current);
        return false;
      }
    };
    const next = this.#queue.then(run, run);
    this.#queue = next;
    return next;
  }
}
