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
  /** Calls `handler` with every change of the meters; returns the unsubscribe function. */
  onMeters: async (handler: (meters: Meters) => void): Promise<() => void> =>
    listen<Meters>('meters', (event) => handler(event.payload)),
};

export type Commands = typeof commands;
