// The only module that talks to Tauri. Everything else imports typed functions from here,
// so the UI can run (and be unit-tested) without a Tauri host.
import { invoke } from '@tauri-apps/api/core';
import type { AppInfo } from '../bindings/AppInfo';
import type { IpcError } from '../bindings/IpcError';

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
};

export type Commands = typeof commands;
