// The one row of a list that is open, with its details read when it opens (a monitor run's
// requests and assertions, a mock call's headers and bodies): opening it again closes it, and
// `note` says why there are no details (none kept, or the read failed). Only the answer for the
// row open now is shown.
import { toAppError } from '../platform/client';

export class OpenRow<D> {
  /** The open row's id (null: none is open). */
  id: string | null = $state(null);
  /** Its details (null while they are read, or when there are none: see `note`). */
  details: D | null = $state.raw(null);
  note: string | null = $state(null);

  /**
   * Closes row `id` when it is open; otherwise opens it and reads its details with `read` (null:
   * none are kept). `none` is said when there are none.
   */
  async toggle(id: string, read: (() => Promise<D | null>) | null, none: string): Promise<void> {
    if (this.id === id) {
      this.id = null;
      return;
    }
    this.id = id;
    this.details = null;
    this.note = null;
    if (read === null) {
      this.note = none;
      return;
    }
    try {
      const details = await read();
      if (this.id !== id) return;
      this.details = details;
      if (details === null) this.note = none;
    } catch (e) {
      if (this.id === id) this.note = toAppError(e).message;
    }
  }

  /** No row is open (the list shows other rows now). */
  close() {
    this.id = null;
    this.details = null;
    this.note = null;
  }
}
