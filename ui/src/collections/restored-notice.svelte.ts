// The "unsaved drafts restored" notice of one view (collections or environments): what to list,
// the damaged files set aside, and forgetting a draft once it is saved, discarded or deleted.
import type { Api } from '../platform/client';
import type { DraftInfo } from '../bindings/DraftInfo';
import type { DraftKind } from '../bindings/DraftKind';
import { messageOf } from './library';
import { forgetRestored, restoredDrafts } from './restored';

export class RestoredNotice {
  drafts: DraftInfo[] = $state([]);
  setAside: string[] = $state([]);
  error: string | null = $state(null);
  readonly #kind: DraftKind;

  constructor(kind: DraftKind) {
    this.#kind = kind;
  }

  /** Reads the drafts on disk (no API call). */
  load(api: Pick<Api, 'libraryDrafts'>): void {
    api.libraryDrafts().then(
      (o) => {
        this.drafts = restoredDrafts(this.#kind, o.drafts);
        this.setAside = o.setAside;
      },
      (e: unknown) => (this.error = messageOf(e)),
    );
  }

  /** The draft of `id` was saved, discarded or deleted. */
  forget(id: string): void {
    forgetRestored(this.#kind, id);
    this.drafts = this.drafts.filter((d) => d.id !== id);
  }

  /** The user dismissed the notice. */
  dismiss(): void {
    forgetRestored(this.#kind);
    this.drafts = [];
    this.setAside = [];
  }
}
