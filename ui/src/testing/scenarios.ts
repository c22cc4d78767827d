// The scenarios the Rust integration tests record (tests/core/scenarios/), by the names the UI
// tests use, and the selectors tests choose recorded exchanges with.
import type { ErrorCode } from '../bindings/ErrorCode';
import type { CommandName } from '../bindings/Commands';
import { exchanges } from './recorded';
import type { Exchange, ExchangeOf } from './recording';

export const APP = 'app: info and preferences';
export const ENGINE = 'engine: meters, usage and activity';
export const KEYS = 'keys: add, rename, expiry, reminders, switch';
export const PASTES = 'keys: refused pastes';
export const ROTATION = 'keys: rotation';
export const IMPORT = 'library: a collection from import to save';
export const CONFLICT = "library: both versions after someone else's change, then keep mine";
export const DUPLICATE = 'library: duplicate, export, discard, close, delete by name';
export const PICKED = 'library: import a file picked in the OS dialog';
export const ENVIRONMENT = 'library: an environment with a secret';
export const SHARE = 'sharing: share a collection, copy the link, revoke';
export const MONITORS = 'monitors: create, run now, scheduled runs, history, export, delete';
export const MOCKS = 'mocks: create, try, errors, call log, local mock, delete';
export const EXPIRING = 'sharing: a key that expires soon is announced once';
export const TREE = 'library: folders, requests and variables, saved once Postman answers again';
export const MARKUP = 'library: names with markup';
export const LARGE_TREE = "library: a large collection's tree comes in parts";
export const ENV_ELSEWHERE = 'library: an environment changed elsewhere, then keep mine';
export const DAMAGED_DRAFT = 'library: a damaged draft file is set aside';
export const WORKSPACE = 'library: the remembered workspace';
export const UP_TO_DATE = 'updates: up to date, and the automatic check waits a day';
export const UPDATE = 'updates: a day later, a newer version is installed, then the app restarts';
export const UPDATE_UNREACHABLE = 'updates: the update server cannot be reached';
export const UPDATE_BAD_SIGNATURE = 'updates: a download whose signature does not match';
export const UPDATE_INSECURE = 'updates: an update address that is not https';
// Other cores, started beside the first one (tests/core/scenarios/side.rs).
export const NO_KEYCHAIN = 'app: no usable keychain';
export const NO_SANDBOX = 'app: the built-in sandbox could not start';
export const NO_DATA_DIR = 'app: the data folder is gone';
export const RATE_WAIT = 'engine: calls wait for the rate limit';
export const POSTMAN_DOWN = 'errors: Postman answers every call with 503';
export const STALE = 'errors: a refresh fails and the copy shown says how old it is';
export const BUSY_MONTH = 'engine: a month near its allowance';
export const KEY_REFUSED = 'keys: Postman refuses the active key';
export const US_KEY = 'keys: a US key that could not be checked';

/** Selects a recorded answer (not an error). */
export const answered = (e: Exchange): boolean => 'ok' in e;

/** Selects a recorded error (of `code` when given). */
export const refused =
  (code?: ErrorCode) =>
  (e: Exchange): boolean =>
    'err' in e && (code === undefined || e.err.code === code);

/** Selects recorded preferences that remember a workspace. */
export const remembersWorkspace = (e: ExchangeOf<'prefs_get'>): boolean => 'ok' in e && e.ok.workspace !== null;

/** Some recorded exchange of `command` matches: gates the tests waiting for a recording. */
export function recordedWhere<K extends CommandName>(command: K, match: (e: ExchangeOf<K>) => boolean): boolean {
  return exchanges(command).some(match);
}
