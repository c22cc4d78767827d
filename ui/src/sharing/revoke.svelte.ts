// Revoking one or many access keys: progress from the `revoke-progress` store, then one result
// per key.
import type { RevokeResult } from '../bindings/RevokeResult';
import { toAppError, type Api } from '../platform/client';
import type { EventStore } from '../services/events.svelte';

export class RevokeFlow {
  running = $state(false);
  /** How many keys the running (or last) revoke is about. */
  #count = $state(0);
  /** Where the progress events stood when the running revoke started. */
  #mark = $state(0);
  /** The results of the last revoke; null before the first. */
  results: readonly RevokeResult[] | null = $state.raw(null);
  /** The whole call failed (nothing was revoked, or nothing is known). */
  error: string | null = $state(null);

  readonly #api: Pick<Api, 'sharingRevoke'>;
  readonly #progress: EventStore<'revoke-progress'>;

  constructor(api: Pick<Api, 'sharingRevoke'>, progress: EventStore<'revoke-progress'>) {
    this.#api = api;
    this.#progress = progress;
  }

  /** Rust's last report on the running revoke. */
  get #report() {
    return this.running ? this.#progress.since(this.#mark) : null;
  }

  get done(): number {
    return this.running ? (this.#report?.done ?? 0) : this.#count;
  }

  get total(): number {
    return this.#report?.total ?? this.#count;
  }

  get failures(): number {
    return this.results?.filter((r) => !r.ok).length ?? 0;
  }

  /** Revokes `ids`; resolves with the results (empty when the call failed). */
  async run(ids: readonly string[]): Promise<readonly RevokeResult[]> {
    if (this.running || ids.length === 0) return [];
    this.#mark = this.#progress.mark();
    this.#count = ids.length;
    this.running = true;
    this.results = null;
    this.error = null;
    try {
      const results = await this.#api.sharingRevoke({ ids: [...ids] });
      this.results = results;
      return results;
    } catch (e) {
      this.error = toAppError(e).message;
      return [];
    } finally {
      this.running = false;
    }
  }

  dismiss() {
    this.results = null;
    this.error = null;
  }
}
