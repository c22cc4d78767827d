// The save of a draft as both editors run it: progress from the `save-progress` store, a failure
// to retry, a conflict to resolve (keep mine = save over theirs, take theirs = discard).

import type { DraftKind } from '../bindings/DraftKind';
import type { SaveMethod } from '../bindings/SaveMethod';
import type { SaveProgress } from '../bindings/SaveProgress';
import type { Api } from '../platform/client';
import type { EventStore } from '../services/events.svelte';
import { documentKey } from '../services/services';
import { messageOf } from './library';

export type SaveApi = Pick<Api, 'librarySave' | 'libraryDiscard'>;

export interface Saved {
  method: SaveMethod;
  /** The server's new `updatedAt`, when it said. */
  updatedAt: string | null;
}

export interface Conflict {
  mine: unknown;
  theirs: unknown;
}

export class SaveFlow {
  saving = $state(false);
  /** Why the last save failed (the draft is kept); cleared by the next attempt. */
  error: string | null = $state(null);
  conflict: Conflict | null = $state.raw(null);
  /** The element the flow is about (a collection uid or an environment id). */
  id: string | null = $state(null);
  /** Where the progress events stood when the running save started. */
  #mark = $state(0);

  readonly #api: SaveApi;
  readonly #progress: EventStore<'save-progress'>;
  readonly #kind: DraftKind;

  /** The last stage Rust reported for the running save (only this document's events). */
  readonly progress: SaveProgress | null = $derived.by(() => {
    if (!this.saving || this.id === null) return null;
    return this.#progress.lastFor(documentKey(this.#kind, this.id), this.#mark)?.progress ?? null;
  });

  constructor(api: SaveApi, progress: EventStore<'save-progress'>, kind: DraftKind) {
    this.#api = api;
    this.#progress = progress;
    this.#kind = kind;
  }

  /** Another element: forget the state of the previous one (a save still running keeps going). */
  switchTo(id: string | null) {
    if (id === this.id) return;
    this.id = id;
    this.error = null;
    this.conflict = null;
  }

  /** Forgets the last failure and conflict (after a discard). */
  reset() {
    this.error = null;
    this.conflict = null;
  }

  /**
   * Saves the draft of the current element. Returns how it was written, or null when it was not:
   * a conflict (now in `conflict`) or a failure (now in `error`).
   */
  async save(overwrite: boolean): Promise<Saved | null> {
    const id = this.id;
    if (id === null || this.saving) return null;
    this.#mark = this.#progress.mark();
    this.saving = true;
    this.error = null;
    try {
      const outcome = await this.#api.librarySave({ kind: this.#kind, id, overwrite });
      if (this.id !== id) return null;
      if (outcome.outcome === 'conflict') {
        this.conflict = { mine: outcome.mine, theirs: outcome.theirs };
        return null;
      }
      this.conflict = null;
      return { method: outcome.method, updatedAt: outcome.updatedAt };
    } catch (e) {
      if (this.id === id) this.error = messageOf(e);
      return null;
    } finally {
      this.saving = false;
    }
  }

  /** "Take theirs": drops the draft. Returns false (with `error` set) when that failed. */
  async discard(): Promise<boolean> {
    const id = this.id;
    if (id === null) return false;
    try {
      await this.#api.libraryDiscard({ kind: this.#kind, id });
      this.conflict = null;
      this.error = null;
      return true;
    } catch (e) {
      this.error = messageOf(e);
      return false;
    }
  }
}
