// One open document (a collection or an environment) and the list it was chosen from: what the
// Collections and Environments views share. Rust holds the working copy; every edit answers
// with the new view, already stored as a local draft. This class orders the calls (edits, opens
// and saves of the working copy run one after the other), keeps the list's unsaved markers, and
// runs open / reload, save (progress, failure + Retry, conflict → keep mine / take theirs),
// discard, export, delete and create.
//
// Construct it during a component's initialisation: it starts its effects there (the list of
// the remembered workspace, the restored drafts).

import { untrack } from 'svelte';
import type { CollectionView } from '../bindings/CollectionView';
import type { Created } from '../bindings/Created';
import type { DraftKind } from '../bindings/DraftKind';
import type { EnvironmentRow } from '../bindings/EnvironmentRow';
import type { EnvironmentView } from '../bindings/EnvironmentView';
import type { Freshness } from '../bindings/Freshness';
import type { Listed } from '../bindings/Listed';
import type { Api } from '../platform/client';
import type { Services } from '../services/services';
import { messageOf, savedText } from './library';
import { ListLoader } from './list-loader.svelte';
import { listCollections, type CollectionRow } from './rows';
import { RestoredNotice } from './restored-notice.svelte';
import { SaveFlow } from './save-flow.svelte';

export interface DocumentRow {
  name: string;
  hasDraft: boolean;
  updatedAt: string | null;
}

export interface DocumentView {
  name: string;
  draftSavedAtMs: number | null;
  /** Where the server's version comes from; null: read from the draft kept on disk. */
  source: Freshness | null;
}

/** How one kind of document is listed, opened and managed through the API. */
export interface DocumentKind<R extends DocumentRow, V extends DocumentView> {
  kind: DraftKind;
  /** The id of a listed or opened document (a collection's uid, an environment's id). */
  idOf(doc: R | V): string;
  /** The id to open of what `create` made. */
  createdId(made: Created): string;
  list(api: Api, workspace: string | null, force: boolean): Promise<Listed<R>>;
  open(api: Api, id: string, force: boolean): Promise<V>;
  /** Makes an empty (`name`) or imported document. */
  create(api: Api, workspace: string | null, name: string | null, importText: string | null): Promise<Created>;
  /** Saves it where the user chooses (the OS save dialog); the path, null when they cancelled. */
  exportTo(api: Api, id: string): Promise<string | null>;
  /** Imports a file the user picks in the OS open dialog (Rust reads it); null when they cancelled. */
  importFile(api: Api, workspace: string | null): Promise<Created | null>;
  remove(api: Api, id: string, confirmName: string): Promise<unknown>;
}

export const COLLECTIONS: DocumentKind<CollectionRow, CollectionView> = {
  kind: 'collection',
  idOf: (d) => d.uid,
  createdId: (made) => made.uid ?? made.id,
  list: listCollections,
  open: (api, uid, force) => api.libraryOpenCollection({ uid, force }),
  create: (api, workspace, name, importText) => api.libraryCreateCollection({ workspace, name, import: importText }),
  exportTo: (api, uid) => api.libraryExportCollection({ uid }),
  importFile: (api, workspace) => api.libraryImportCollectionFile({ workspace }),
  remove: (api, uid, confirmName) => api.libraryDeleteCollection({ uid, confirmName }),
};

export const ENVIRONMENTS: DocumentKind<EnvironmentRow, EnvironmentView> = {
  kind: 'environment',
  idOf: (d) => d.id,
  createdId: (made) => made.id,
  list: (api, workspace, force) => api.libraryEnvironments({ workspace, force }),
  open: (api, id, force) => api.libraryOpenEnvironment({ id, force }),
  create: (api, workspace, name, importText) => api.libraryCreateEnvironment({ workspace, name, import: importText }),
  exportTo: (api, id) => api.libraryExportEnvironment({ id }),
  importFile: (api, workspace) => api.libraryImportEnvironmentFile({ workspace }),
  remove: (api, id, confirmName) => api.libraryDeleteEnvironment({ id, confirmName }),
};

/** What a view adds to the session (the environment editor's typing that is not sent yet). */
export interface SessionHooks<V> {
  /** Sends what is waiting before a save, an export or a switch; false: it was refused. */
  settle?: () => Promise<boolean>;
  /** There is a change not sent yet (Save stays enabled). */
  pending?: () => boolean;
  /** A view of the open document arrived. `replaced`: it was read again (open, reload, after a save). */
  shown?: (view: V, replaced: boolean) => void;
  /** Another document was opened (or none). */
  opened?: (id: string | null) => void;
  /** What is waiting is thrown away (discard, take theirs, delete). */
  dropped?: () => void;
}

export type Outcome<T> = { ok: T } | { error: string };

/**
 * `rows` with `hasDraft` set by the session's marks (`unsaved`, by id, where they differ from
 * what the list said): a row whose mark is the list's own is the same object, so 10,000 rows
 * cost no copy.
 */
export function markUnsaved<R extends DocumentRow>(rows: readonly R[], unsaved: Readonly<Record<string, boolean>>, idOf: (r: R) => string): R[] {
  return rows.map((r) => {
    const mark = unsaved[idOf(r)];
    return mark === undefined || mark === r.hasDraft ? r : { ...r, hasDraft: mark };
  });
}

export class DocumentSession<R extends DocumentRow, V extends DocumentView> {
  readonly list: ListLoader<R>;
  readonly notice: RestoredNotice;
  readonly flow: SaveFlow;
  /** Unsaved state seen since the list was read (the list is cached for a minute). */
  // Raw and replaced on change: reading 10,000 missing keys of a deep $state proxy would create
  // 10,000 signals on every list render.
  unsaved: Readonly<Record<string, boolean>> = $state.raw({});

  openId: string | null = $state(null);
  view: V | null = $state.raw(null);
  openError: string | null = $state(null);
  status: string | null = $state(null);
  /** Why the last action (discard, export, duplicate…) or collection edit failed. */
  actionError: string | null = $state(null);
  /** Why the last environment edit was refused (the draft keeps the edit before it). */
  editError: string | null = $state(null);
  busy = $state(false);
  deleting = $state(false);
  /** Edits on their way to Rust: Save stays enabled meanwhile (a blur may send one as Save is clicked). */
  sending = $state(0);
  hooks: SessionHooks<V> = {};

  readonly #kind: DocumentKind<R, V>;
  readonly #api: Api;
  readonly #prefs: Services['prefs'];
  #queue: Promise<unknown> = Promise.resolve();

  constructor(kind: DocumentKind<R, V>, services: Pick<Services, 'api' | 'prefs' | 'saveProgress'>) {
    this.#kind = kind;
    this.#api = services.api;
    this.#prefs = services.prefs;
    this.list = new ListLoader<R>((force) => kind.list(this.#api, this.workspace, force));
    this.notice = new RestoredNotice(kind.kind);
    this.flow = new SaveFlow(services.api, services.saveProgress, kind.kind);
    // The list of the remembered workspace, once the preferences are known, and on every switch
    // (the rows of the workspace left are not shown as the new one's, even if its list fails).
    let shown: string | null | undefined;
    $effect(() => {
      if (!this.#prefs.settled) return;
      const workspace = this.workspace;
      untrack(() => {
        if (shown !== undefined && shown !== workspace) this.list.clear();
        shown = workspace;
        void this.list.load(false);
      });
    });
    $effect(() => untrack(() => void this.#prefs.load()));
    $effect(() => untrack(() => this.notice.load(this.#api)));
  }

  /** The workspace that scopes the list (the preference Rust keeps); null = all. */
  get workspace(): string | null {
    return this.#prefs.current?.workspace ?? null;
  }

  chooseWorkspace(id: string | null): Promise<boolean> {
    return this.#prefs.update({ workspace: id });
  }

  isUnsaved(row: R): boolean {
    return this.unsaved[this.#kind.idOf(row)] ?? row.hasDraft;
  }

  /** The list's rows with `hasDraft` as `isUnsaved` says (see `markUnsaved`). */
  get markedRows(): R[] {
    return markUnsaved(this.list.rows, this.unsaved, (r) => this.#kind.idOf(r));
  }

  /** There is something to save: a stored draft, an edit on its way, or a change not sent yet. */
  get dirty(): boolean {
    return (this.view?.draftSavedAtMs ?? null) !== null || this.sending > 0 || (this.hooks.pending?.() ?? false);
  }

  /** The name to type to delete: the server's (the list's), not an unsaved rename. */
  get serverName(): string {
    const row = this.list.rows.find((r) => this.#kind.idOf(r) === this.openId);
    return row?.name ?? this.view?.name ?? '';
  }

  /** Runs `work` after the calls already queued (edits, opens and saves keep their order). */
  queued<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch(() => {});
    return next;
  }

  #mark(id: string, unsaved: boolean) {
    // Only a real change touches `unsaved`: it re-derives (and re-sorts) the whole list.
    const row = this.list.rows.find((r) => this.#kind.idOf(r) === id);
    const before = this.unsaved[id] ?? row?.hasDraft ?? false;
    if (before !== unsaved) this.unsaved = { ...this.unsaved, [id]: unsaved };
  }

  /** Shows a view of the open document (an edit's answer, or one read again). */
  show(view: V, replaced = false) {
    this.view = view;
    this.#mark(this.#kind.idOf(view), view.draftSavedAtMs !== null);
    this.hooks.shown?.(view, replaced);
  }

  #settle(): Promise<boolean> {
    return this.hooks.settle ? this.hooks.settle() : this.#queue.then(() => true);
  }

  /** Opens a document (closing the previous one when it has no unsaved change). */
  async open(id: string) {
    if (id === this.openId && (this.view !== null || this.openError === null)) return;
    await this.#settle();
    const previous = this.view;
    if (previous && this.#kind.idOf(previous) !== id && previous.draftSavedAtMs === null) {
      this.#api.libraryClose({ kind: this.#kind.kind, id: this.#kind.idOf(previous) }).catch(() => {});
    }
    this.openId = id;
    this.view = null;
    this.status = null;
    this.actionError = null;
    this.editError = null;
    this.deleting = false;
    this.flow.switchTo(id);
    this.hooks.opened?.(id);
    await this.reopen(false);
  }

  /** Refresh: the list, and the open document when it has no unsaved change, past the cache. */
  refresh(): Promise<unknown> {
    const reload = this.view !== null && !this.dirty ? this.reopen(true) : Promise.resolve();
    return Promise.all([this.list.load(true), reload]);
  }

  /** Reads the working copy again (after a save, a discard, "take theirs"; Retry: `force`). */
  async reopen(force: boolean) {
    const id = this.openId;
    if (id === null) return;
    this.openError = null;
    try {
      const view = await this.queued(() => this.#kind.open(this.#api, id, force));
      if (this.openId === id) this.show(view, true);
    } catch (e) {
      if (this.openId === id) this.openError = messageOf(e);
    }
  }

  /** Runs one call on the open document, in order; the answer only counts if it is still open. */
  async run<T>(work: (id: string) => Promise<T>): Promise<Outcome<T> | null> {
    const id = this.openId;
    if (id === null) return null;
    try {
      const ok = await this.queued(() => work(id));
      return this.openId === id ? { ok } : null;
    } catch (e) {
      return this.openId === id ? { error: messageOf(e) } : null;
    }
  }

  /** One edit: its answer is shown; a refusal goes to `actionError` or `editError`. */
  async edit(work: (id: string) => Promise<V>, errorTo: 'actionError' | 'editError' = 'actionError'): Promise<V | null> {
    if (errorTo === 'actionError') this.actionError = null;
    this.sending++;
    try {
      const outcome = await this.run(work);
      if (outcome === null) return null;
      if ('error' in outcome) {
        this[errorTo] = outcome.error;
        return null;
      }
      if (errorTo === 'editError') this.editError = null;
      this.show(outcome.ok);
      return outcome.ok;
    } finally {
      this.sending--;
    }
  }

  async save(overwrite: boolean) {
    const id = this.openId;
    if (id === null) return;
    this.status = null;
    this.actionError = null;
    if (!(await this.#settle())) return; // edits on their way land in the draft first
    const saved = await this.flow.save(overwrite);
    if (!saved || this.openId !== id) return;
    const name = this.view?.name ?? '';
    this.status = savedText(name, saved.method);
    this.notice.forget(id);
    this.#mark(id, false);
    this.list.rows = this.list.rows.map((r) =>
      this.#kind.idOf(r) === id ? { ...r, name, hasDraft: false, updatedAt: saved.updatedAt ?? r.updatedAt } : r,
    );
    // After a full update Rust dropped its copy: this reads the server's (with the ids it gave).
    await this.reopen(false);
  }

  /** Drops the unsaved edit (and whatever was not sent yet), then shows the server's version. */
  async #drop(discard: () => Promise<boolean>, force: boolean, done: string) {
    const id = this.openId;
    if (id === null) return;
    this.hooks.dropped?.();
    await this.#queue;
    if (!(await discard())) return;
    this.notice.forget(id);
    this.editError = null;
    this.view = null;
    await this.reopen(force);
    this.status = done;
  }

  /** After a conflict: the server's version wins, read past the cache. */
  takeTheirs() {
    return this.#drop(() => this.flow.discard(), true, 'Took the version on the server; your edit was discarded.');
  }

  discard() {
    this.actionError = null;
    return this.#drop(
      async () => {
        const outcome = await this.run((id) => this.#api.libraryDiscard({ kind: this.#kind.kind, id }));
        if (outcome === null) return false;
        if ('error' in outcome) {
          this.actionError = outcome.error;
          return false;
        }
        this.flow.reset();
        return true;
      },
      false,
      'Discarded the unsaved changes.',
    );
  }

  /** An action whose result is one status line (export, duplicate). */
  async act(work: () => Promise<string | null>) {
    this.busy = true;
    this.status = null;
    this.actionError = null;
    try {
      await this.#settle();
      this.status = await work();
    } catch (e) {
      this.actionError = messageOf(e);
    } finally {
      this.busy = false;
    }
  }

  exportOpen() {
    const id = this.openId;
    if (id === null) return Promise.resolve();
    return this.act(async () => {
      const path = await this.#kind.exportTo(this.#api, id);
      return path === null ? null : `Exported to ${path}`;
    });
  }

  /** Deletes the open document on the server; resolves to why not, or null once it is gone. */
  async remove(typed: string): Promise<string | null> {
    const id = this.openId;
    if (id === null) return null;
    try {
      await this.#kind.remove(this.#api, id, typed);
    } catch (e) {
      return messageOf(e);
    }
    this.hooks.dropped?.();
    this.deleting = false;
    this.openId = null;
    this.view = null;
    this.flow.switchTo(null);
    this.hooks.opened?.(null);
    this.notice.forget(id);
    this.list.rows = this.list.rows.filter((r) => this.#kind.idOf(r) !== id);
    this.status = `Deleted "${typed}".`;
    void this.list.load(true);
    return null;
  }

  /** Creates an empty or imported document in the workspace and opens it; resolves to why not. */
  async create(name: string | null, importText: string | null): Promise<string | null> {
    return this.#made(() => this.#kind.create(this.#api, this.workspace, name, importText));
  }

  /** Imports a file picked in the OS open dialog; resolves to why not, or null once it is open
   * (or when the user cancelled: `cancelled` is then true). */
  async importFile(): Promise<{ error: string | null; cancelled: boolean }> {
    let cancelled = false;
    const error = await this.#made(async () => {
      const made = await this.#kind.importFile(this.#api, this.workspace);
      cancelled = made === null;
      return made;
    });
    return { error, cancelled };
  }

  async #made(make: () => Promise<Created | null>): Promise<string | null> {
    try {
      const made = await make();
      if (made === null) return null;
      await this.list.load(true);
      await this.open(this.#kind.createdId(made));
      // After the open, which clears the previous document's status.
      this.status = `Created "${made.name}".`;
      return null;
    } catch (e) {
      return messageOf(e);
    }
  }
}
