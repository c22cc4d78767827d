// The environment editor's typing: the name and the whole variables table are sent as one edit
// once typing pauses (at once on blur, before a save, an export or a switch). Plugs into the
// session through its hooks.
import type { EnvironmentRow } from '../bindings/EnvironmentRow';
import type { EnvironmentView } from '../bindings/EnvironmentView';
import type { EnvVariable } from '../bindings/EnvVariable';
import type { Api } from '../platform/client';
import type { DocumentSession } from './document-session.svelte';

/** Typing pauses this long before the table is sent. */
export const DEBOUNCE_MS = 300;

export class EnvironmentDraft {
  name = $state('');
  values: EnvVariable[] = $state([]);
  /** A change not sent yet. */
  pending = $state(false);
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #session: DocumentSession<EnvironmentRow, EnvironmentView>;
  readonly #api: Pick<Api, 'libraryEditEnvironment'>;

  constructor(session: DocumentSession<EnvironmentRow, EnvironmentView>, api: Pick<Api, 'libraryEditEnvironment'>) {
    this.#session = session;
    this.#api = api;
    session.hooks = {
      settle: () => this.flush(),
      pending: () => this.pending,
      shown: (view) => this.#sync(view),
      dropped: () => this.#drop(),
    };
  }

  /** Something was typed: send it once typing pauses. */
  changed() {
    this.pending = true;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.flush(), DEBOUNCE_MS);
  }

  /** Sends the change waiting, if any. Resolves to false when the last edit was refused. */
  async flush(): Promise<boolean> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const session = this.#session;
    if (!this.pending || session.openId === null) {
      await session.queued(async () => {});
      return session.editError === null;
    }
    this.pending = false;
    const name = this.name;
    const values = $state.snapshot(this.values) as EnvVariable[];
    const view = await session.edit((id) => this.#api.libraryEditEnvironment({ id, name, values }), 'editError');
    return view !== null;
  }

  /** A view arrived: it shows what Rust has, unless something typed is still to be sent. */
  #sync(view: EnvironmentView) {
    if (this.pending) return;
    this.name = view.name;
    this.values = view.values.map((v) => ({ ...v }));
  }

  #drop() {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.pending = false;
  }
}
