// Revoking one or many access keys: progress from the events, then one result per key.
import { toAppError, type Commands } from '../platform';
import type { RevokeResult } from '../bindings/RevokeResult';

export type RevokeCommands = Pick<Commands, 'revokeAccessKeys' | 'onRevokeProgress'>;

export class RevokeFlow {
  running = $state(false);
  done = $state(0);
  total = $state(0);
  /** The results of the last revoke; null before the first. */
  results: readonly RevokeResult[] | null = $state.raw(null);
  /** The whole call failed (nothing was revoked, or nothing is known). */
  error: string | null = $state(null);

  #commands: RevokeCommands;

  constructor(commands: RevokeCommands) {
    this.#commands = commands;
  }

  get failures(): number {
    return this.results?.filter((r) => !r.ok).length ?? 0;
  }

  /** Revokes `ids`; resolves with the results (empty when the call failed). */
  async run(ids: readonly string[]): Promise<readonly RevokeResult[]> {
    if (this.running || ids.length === 0) return [];
    this.running = true;
    this.done = 0;
    this.total = ids.length;
    this.results = null;
    this.error = null;
    let stop: (() => void) | null = null;
    try {
      stop = await this.#commands
        .onRevokeProgress((p) => {
          if (!this.running) return;
          this.done = p.done;
          this.total = p.total;
        })
        .catch(() => null);
      const results = await this.#commands.revokeAccessKeys([...ids]);
      this.done = this.total;
      this.results = results;
      return results;
    } catch (e) {
      this.error = toAppError(e).message;
      return [];
    } finally {
      stop?.();
      this.running = false;
    }
  }

  dismiss() {
    this.results = null;
    this.error = null;
  }
}
