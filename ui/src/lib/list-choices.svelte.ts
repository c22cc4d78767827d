// What a view of a workspace's mocks or monitors keeps around its list: the form (for a new one,
// or on the row edited), the row selected (its detail under the list), the row whose deletion is
// being confirmed (DeleteDialog), and what the view said last.
import { toAppError } from '../platform/client';

export class ListChoices<R extends { id: string; name: string }> {
  /** The form for a new one is open. */
  creating = $state(false);
  /** The row whose form is open. */
  editing: R | null = $state.raw(null);
  selectedId: string | null = $state(null);
  /** The row whose deletion is being confirmed. */
  deleting: R | null = $state.raw(null);
  /** What was done last, as the view says it. */
  status = $state('');
  /** The selected row, while the list holds it. */
  readonly selected: R | null = $derived.by(() => this.#rows().find((r) => r.id === this.selectedId) ?? null);

  readonly #rows: () => readonly R[];
  readonly #reload: () => Promise<void>;

  /** `rows`: the rows listed now; `reload`: reads the list again past the cache. */
  constructor(rows: () => readonly R[], reload: () => Promise<void>) {
    this.#rows = rows;
    this.#reload = reload;
  }

  openNew() {
    this.editing = null;
    this.creating = true;
  }

  edit(row: R) {
    this.creating = false;
    this.editing = row;
  }

  closeForm() {
    this.creating = false;
    this.editing = null;
  }

  /** Selects `row`, or nothing when it is the one selected. */
  toggle(row: R) {
    this.selectedId = row.id === this.selectedId ? null : row.id;
  }

  /** The form saved `id` (the row edited, or a new one: `made` says so); it is selected, the list read again. */
  async saved(id: string, made: string): Promise<void> {
    this.status = this.editing ? `${this.editing.name}: changes saved.` : made;
    this.closeForm();
    this.selectedId = id;
    await this.#reload();
  }

  /**
   * DeleteDialog's `ondelete` for the row in `deleting`: `del` deletes it with the name typed,
   * then what `goes` with it is said and the list read again. Resolves to why not (null: gone).
   */
  async remove(typed: string, del: (row: R, confirmName: string) => Promise<unknown>, goes: string): Promise<string | null> {
    const row = this.deleting;
    if (!row) return null;
    try {
      await del(row, typed);
      this.deleting = null;
      if (this.selectedId === row.id) this.selectedId = null;
      this.status = `${row.name} deleted, with ${goes}.`;
      await this.#reload();
      return null;
    } catch (e) {
      return toAppError(e).message;
    }
  }
}
