// The save of a draft as both editors run it: progress from the `save-progress` events, a failure
// to retry, a conflict to resolve (keep mine = save over theirs, take theirs = discard).

import type { Commands } from '../platform';
import type { DraftKind } from '../bindings/DraftKind';
import type { SaveMethod } from '../bindings/SaveMethod';
import type { SaveProgress } from '../bindings/SaveProgress';
import { messageOf } from './library';

/** `onSaveProgress` may be missing (a test double without events): saves then show no stages. */
export type SaveCommands = Pick<Commands, 'save' | 'discard'> & Partial<Pick<Commands, 'onSaveProgress'>>;

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
  /** The last stage reported for the running save. */
  progress: SaveProgress | null = $state(null);
  /** Why the last save failed (the draft is kept); cleared by the next attempt. */
  error: string | null = $state(null);
  conflict: Conflict | null = $state.raw(null);
  /** The element the flow is about (a collection uid or an environment id). */
  id: string | null = $state(null);

  readonly #commands: SaveCommands;
  readonly #kind: DraftKind;

  constructor(commands: SaveCommands, kind: DraftKind) {
    this.#commands = commands;
    this.#kind = kind;
  }

  /** Listens to the progress events; call from an `$effect` and return what this returns. */
  listen(): () => void {
    let stop: (() => void) | undefined;
    let closed = false;
    const subscribe = this.#commands.onSaveProgress;
    if (typeof subscribe === 'function') {
      subscribe((e) => {
        if (this.saving && e.kind === this.#kind && e.id === this.id) this.progress = e.progress;
      }).then(
        (unlisten) => (closed ? unlisten() : (stop = unlisten)),
        () => {},
      );
    }
    return () => {
      closed = true;
      stop?.();
    };
  }

  /** Another element: forget the state of the previous one (a save still running keeps going). */
  switchTo(id: string | null) {
    if (id === this.id) return;
    this.id = id;
    this.error = null;
    this.conflict = null;
    this.progress = null;
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
    this.saving = true;
    this.error = null;
    this.progress = null;
    try {
      const outcome = await this.#commands.save(this.#kind, id, overwrite);
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
      this.progress = null;
    }
  }

  /** "Take theirs": drops the draft. Returns false (with `error` set) when that failed. */
  async discard(): Promise<boolean> {
    const id = this.id;
    if (id === null) return false;
    try {
      await this.#commands.discard(this.#kind, id);
      this.conflict = null;
      this.error = null;
      return true;
    } catch (e) {
      this.error = messageOf(e);
      return false;
    }
  }
}
