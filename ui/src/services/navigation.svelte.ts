// Going from one view to another with something to do there (the Collections view's "Mock it"
// opens the Mocks view's New mock form on that collection). The shell follows `requested`; the
// view it opens takes its intent once.
import type { ViewId } from '../lib/views';

export interface Intent {
  view: ViewId;
  /** Mocks: open the New mock form on this collection (its UID). */
  mockCollection?: string;
}

export class Navigation {
  requested: Intent | null = $state(null);

  open(intent: Intent): void {
    this.requested = intent;
  }

  /** The intent for `view`, if it is the one asked for (read while the view mounts). */
  peek(view: ViewId): Intent | null {
    const i = this.requested;
    return i && i.view === view ? i : null;
  }

  /** The view has done what it was asked (called from an effect, after it mounted). */
  done(intent: Intent): void {
    if (this.requested === intent) this.requested = null;
  }
}
