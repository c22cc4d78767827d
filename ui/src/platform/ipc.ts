// The only module that talks to Tauri. Everything else imports typed functions from here,
// so the UI can run (and be unit-tested) without a Tauri host.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type { ActiveKey } from '../bindings/ActiveKey';
import type { ActivityRow } from '../bindings/ActivityRow';
import type { AppInfo } from '../bindings/AppInfo';
import type { ExportFormat } from '../bindings/ExportFormat';
import type { IpcError } from '../bindings/IpcError';
import type { Meters } from '../bindings/Meters';
import type { UsageSummary } from '../bindings/UsageSummary';
import type { AddKey } from '../bindings/AddKey';
import type { KeyView } from '../bindings/KeyView';
import type { Reminder } from '../bindings/Reminder';
import type { Rotation } from '../bindings/Rotation';
import type { CollectionEdit } from '../bindings/CollectionEdit';
import type { CollectionRow } from '../bindings/CollectionRow';
import type { CollectionView } from '../bindings/CollectionView';
import type { Created } from '../bindings/Created';
import type { DraftKind } from '../bindings/DraftKind';
import type { DraftsOverview } from '../bindings/DraftsOverview';
import type { EnvironmentRow } from '../bindings/EnvironmentRow';
import type { EnvironmentView } from '../bindings/EnvironmentView';
import type { EnvVariable } from '../bindings/EnvVariable';
import type { RequestDetail } from '../bindings/RequestDetail';
import type { SaveOutcome } from '../bindings/SaveOutcome';
import type { SaveProgressEvent } from '../bindings/SaveProgressEvent';
import type { TextOutcome } from '../bindings/TextOutcome';
import type { WorkspaceRow } from '../bindings/WorkspaceRow';
import type { AccessKeyPageView } from '../bindings/AccessKeyPageView';
import type { RevokeProgress } from '../bindings/RevokeProgress';
import type { RevokeResult } from '../bindings/RevokeResult';
import type { ShareText } from '../bindings/ShareText';
import type { ShareTexts } from '../bindings/ShareTexts';
import type { ShareView } from '../bindings/ShareView';

/** An error from a Postdesk command, as `{code, message}`; the message is meant for people. */
export class AppError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
  }
}

function isIpcError(value: unknown): value is IpcError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as IpcError).code === 'string' &&
    typeof (value as IpcError).message === 'string'
  );
}

/** Normalises whatever a failed invoke rejected with into an AppError. */
export function toAppError(raw: unknown): AppError {
  if (raw instanceof AppError) return raw;
  if (isIpcError(raw)) return new AppError(raw.code, raw.message);
  const text = raw instanceof Error ? raw.message : typeof raw === 'string' ? raw : 'unknown error';
  return new AppError('ipc.failed', `Postdesk could not reach its core: ${text}`);
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw toAppError(raw);
  }
}

export const commands = {
  appInfo: () => call<AppInfo>('app_info'),
  activeKey: () => call<ActiveKey | null>('engine_active_key'),
  meters: () => call<Meters>('engine_meters'),
  /** `/me` through the engine: from the cache unless `force` (a refresh costs one call). */
  usage: (force: boolean) => call<UsageSummary>('engine_usage', { force }),
  activity: () => call<ActivityRow[]>('engine_activity'),
  exportActivity: (format: ExportFormat) => call<string>('engine_export_activity', { format }),
  keys: () => call<KeyView[]>('keys_list'),
  /** The pasted key goes to Rust once; it never comes back (the UI sees last 4 only). */
  addKey: (request: AddKey) => call<KeyView>('keys_add', { request }),
  verifyKey: (id: string) => call<KeyView>('keys_verify', { id }),
  renameKey: (id: string, name: string) => call<KeyView>('keys_rename', { id, name }),
  setKeyExpiry: (id: string, expiresOn: string | null) => call<KeyView>('keys_set_expiry', { id, expiresOn }),
  /** `null` goes back to the built-in sandbox. */
  setActiveKey: (id: string | null) => call<ActiveKey | null>('keys_set_active', { id }),
  rotateKey: (oldId: string, replacement: AddKey) => call<Rotation>('keys_rotate', { oldId, replacement }),
  deleteKey: (id: string) => call<null>('keys_delete', { id }),
  dueReminders: () => call<Reminder[]>('keys_due_reminders'),
  dismissReminder: (keyId: string, days: number) => call<null>('keys_dismiss_reminder', { keyId, days }),
  /** Opens Postman's API-keys page in the system browser. */
  openPostmanKeys: () => call<null>('keys_open_postman'),
  // ---- collections and environments (Rust keeps the open document; see src-tauri/library) ----
  /** Unsaved drafts kept on disk (what comes back after a restart), without their contents. */
  drafts: () => call<DraftsOverview>('library_drafts'),
  workspaces: (force: boolean) => call<WorkspaceRow[]>('library_workspaces', { force }),
  /** `workspace: null` = every collection the key can see. Cached 60 s unless `force`. */
  collections: (workspace: string | null, force: boolean) => call<CollectionRow[]>('library_collections', { workspace, force }),
  /** Opens (or returns the open working copy / restored draft of) a collection: tree outline, info, variables. */
  openCollection: (uid: string, force: boolean) => call<CollectionView>('library_open_collection', { uid, force }),
  /** One edit; stored as a local draft before it returns. */
  editCollection: (uid: string, edit: CollectionEdit) => call<CollectionView>('library_edit_collection', { uid, edit }),
  /** One request of the open collection; `path` is a tree row key like "0/3/2". */
  collectionItem: (uid: string, path: string) => call<RequestDetail>('library_collection_item', { uid, path }),
  /** The open collection as pretty JSON (raw mode). */
  collectionText: (uid: string) => call<string>('library_collection_text', { uid }),
  /** Replaces the open collection with edited JSON when valid; otherwise `errors` (line, column, path) and nothing changes. */
  setCollectionText: (uid: string, text: string) => call<TextOutcome>('library_set_collection_text', { uid, text }),
  /** Empty (`name`) or imported (`importText`, a v2.1 file's text). */
  createCollection: (workspace: string | null, name: string | null, importText: string | null) =>
    call<Created>('library_create_collection', { workspace, name, import: importText }),
  duplicateCollection: (uid: string, workspace: string | null) => call<Created>('library_duplicate_collection', { uid, workspace }),
  /** Writes `<name>.postman_collection.json` to Downloads; returns the path. */
  exportCollection: (uid: string) => call<string>('library_export_collection', { uid }),
  /** Deletes only when `confirmName` is the collection's name on the server. */
  deleteCollection: (uid: string, confirmName: string) => call<null>('library_delete_collection', { uid, confirmName }),
  environments: (workspace: string | null, force: boolean) => call<EnvironmentRow[]>('library_environments', { workspace, force }),
  openEnvironment: (id: string, force: boolean) => call<EnvironmentView>('library_open_environment', { id, force }),
  /** The whole table (and name); stored as a local draft before it returns. */
  editEnvironment: (id: string, name: string, values: EnvVariable[]) =>
    call<EnvironmentView>('library_edit_environment', { id, name, values }),
  createEnvironment: (workspace: string | null, name: string | null, importText: string | null) =>
    call<Created>('library_create_environment', { workspace, name, import: importText }),
  exportEnvironment: (id: string) => call<string>('library_export_environment', { id }),
  deleteEnvironment: (id: string, confirmName: string) => call<null>('library_delete_environment', { id, confirmName }),
  /** Saves the draft. `overwrite`: "keep mine" after a conflict. Progress arrives through `onSaveProgress`. */
  save: (kind: DraftKind, id: string, overwrite: boolean) => call<SaveOutcome>('library_save', { kind, id, overwrite }),
  /** Throws the unsaved edit away ("Discard" or "Take theirs"). */
  discard: (kind: DraftKind, id: string) => call<null>('library_discard', { kind, id }),
  /** Frees the working copy of a document without unsaved changes. */
  close: (kind: DraftKind, id: string) => call<null>('library_close', { kind, id }),
  onSaveProgress: async (handler: (event: SaveProgressEvent) => void): Promise<() => void> =>
    listen<SaveProgressEvent>('save-progress', (event) => handler(event.payload)),
  // ---- sharing: collection access keys (tokens stay in Rust; see src-tauri/sharing) ----
  /** One page of access keys (of one collection when `collection` is a uid); `cursor` from the previous page. */
  accessKeys: (collection: string | null, cursor: string | null, force: boolean, notify = false) =>
    call<AccessKeyPageView>('sharing_page', { collection, cursor, force, notify }),
  /** Revokes each key once, paced under the limits; progress through `onRevokeProgress`. */
  revokeAccessKeys: (ids: string[]) => call<RevokeResult[]>('sharing_revoke', { ids }),
  /** The pasted PMAT token goes to Rust once: verified, matched, kept in the keychain; never returned. */
  addAccessToken: (uid: string, token: string) => call<ShareView>('sharing_add_token', { uid, token }),
  /** Built-in sandbox only: makes a key the way Postman's Share → Via API dialog does. */
  mintAccessKey: (uid: string) => call<ShareView>('sharing_mint', { uid }),
  /** Masked link / newman / curl texts of a key whose token is kept. */
  shareTexts: (keyId: string, uid: string) => call<ShareTexts>('sharing_texts', { keyId, uid }),
  /** Rust writes the real link or command to the clipboard (the webview never sees the token). */
  copyShare: (keyId: string, uid: string, what: ShareText) => call<null>('sharing_copy', { keyId, uid, what }),
  /** Opens the collection in Postman's web app in the system browser. */
  openInPostman: (uid: string) => call<null>('sharing_open_postman', { uid }),
  onRevokeProgress: async (handler: (event: RevokeProgress) => void): Promise<() => void> =>
    listen<RevokeProgress>('revoke-progress', (event) => handler(event.payload)),
  /** Calls `handler` with every change of the meters; returns the unsubscribe function. */
  onMeters: async (handler: (meters: Meters) => void): Promise<() => void> =>
    listen<Meters>('meters', (event) => handler(event.payload)),
};

export type Commands = typeof commands;
