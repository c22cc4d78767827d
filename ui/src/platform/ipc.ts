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
  /** Calls `handler` with every change of the meters; returns the unsubscribe function. */
  onMeters: async (handler: (meters: Meters) => void): Promise<() => void> =>
    listen<Meters>('meters', (event) => handler(event.payload)),
};

export type Commands = typeof commands;
