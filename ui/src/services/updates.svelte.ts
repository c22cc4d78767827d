// Postdesk's own updates, as Rust reports them: the automatic check after the first screen (Rust
// asks the update server at most once a day, and a failure then is not shown), the manual one
// from the About dialog (its answer is shown, failures included), then download and install
// (progress from the `update-progress` events) and the restart, when the user agrees.
import type { UpdateCheck } from '../bindings/UpdateCheck';
import type { UpdateInstalled } from '../bindings/UpdateInstalled';
import type { UpdateOffer } from '../bindings/UpdateOffer';
import type { UpdateProgress } from '../bindings/UpdateProgress';
import { toAppError, type Api } from '../platform/client';
import type { EventStore } from './events.svelte';

type UpdateApi = Pick<Api, 'appCheckUpdate' | 'appInstallUpdate' | 'appRestart'>;

export class UpdateService {
  /** The answer of the last manual check (the About dialog shows it); null before one. */
  lastCheck: UpdateCheck | null = $state.raw(null);
  checking = $state(false);
  /** The newer version Rust offered, until it is installed. */
  offer: UpdateOffer | null = $state.raw(null);
  installing = $state(false);
  /** Installed: it runs after a restart. */
  installed: UpdateInstalled | null = $state.raw(null);
  /** Why the last install or restart failed (one sentence from Rust). */
  error: string | null = $state(null);
  /** The banner was put aside ("Not now", "Later") until something new happens. */
  dismissed = $state(false);
  readonly #api: UpdateApi;
  readonly #progress: EventStore<'update-progress'>;
  #mark = $state(0);
  #automatic: Promise<void> | null = null;

  constructor(api: UpdateApi, progress: EventStore<'update-progress'>) {
    this.#api = api;
    this.#progress = progress;
  }

  /** The progress of the install running now (events of earlier installs are not shown). */
  get progress(): UpdateProgress | null {
    return this.installing || this.installed ? this.#progress.since(this.#mark) : null;
  }

  /** The check after start: once per run; Rust decides whether the day's check is due. */
  checkAutomatically(): Promise<void> {
    this.#automatic ??= this.#api.appCheckUpdate({ manual: false }).then(
      (answer) => this.#take(answer),
      () => {},
    );
    return this.#automatic;
  }

  /** "Check for updates": always asks; the answer is shown whatever it is. */
  async check(): Promise<UpdateCheck | null> {
    if (this.checking) return this.lastCheck;
    this.checking = true;
    try {
      const answer = await this.#api.appCheckUpdate({ manual: true });
      this.lastCheck = answer;
      this.#take(answer);
      return answer;
    } catch (e) {
      const err = toAppError(e);
      this.lastCheck = { status: 'failed', code: err.code, message: err.message };
      return this.lastCheck;
    } finally {
      this.checking = false;
    }
  }

  /** Downloads, verifies and installs the offered version; false when Rust refused (see `error`). */
  async install(): Promise<boolean> {
    if (this.installing || this.installed) return false;
    this.#mark = this.#progress.mark();
    this.installing = true;
    this.error = null;
    this.dismissed = false;
    try {
      this.installed = await this.#api.appInstallUpdate();
      this.offer = null;
      return true;
    } catch (e) {
      this.error = toAppError(e).message;
      return false;
    } finally {
      this.installing = false;
    }
  }

  /** Restarts Postdesk into the installed version. */
  async restart(): Promise<void> {
    try {
      await this.#api.appRestart();
    } catch (e) {
      this.error = toAppError(e).message;
    }
  }

  dismiss(): void {
    this.dismissed = true;
  }

  #take(answer: UpdateCheck): void {
    if (answer.status === 'available') {
      if (this.offer?.version !== answer.update.version) this.dismissed = false;
      this.offer = answer.update;
    } else if (answer.status === 'upToDate') {
      this.offer = null;
    }
  }
}
