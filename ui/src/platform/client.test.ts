import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '../bindings/Commands';
import { AppError, camelCase, createApi, toAppError, type Invoke } from './client';

describe('the typed client', () => {
  it('has one method per command of the contract, in camelCase, passing the arguments as they are', async () => {
    const seen: [string, unknown][] = [];
    const invoke: Invoke = async (command, args) => {
      seen.push([command, args]);
      return null as never;
    };
    const api = createApi(invoke);
    expect(Object.keys(api).sort()).toEqual(COMMAND_NAMES.map(camelCase).sort());
    await api.keysAdd({ request: { name: 'Work', key: 'x', region: 'us', expiresOn: null } });
    await api.engineUsage({ force: true });
    await api.appInfo();
    expect(seen).toEqual([
      ['keys_add', { request: { name: 'Work', key: 'x', region: 'us', expiresOn: null } }],
      ['engine_usage', { force: true }],
      ['app_info', {}],
    ]);
    expect(camelCase('library_set_collection_text')).toBe('librarySetCollectionText');
  });

  it('turns every failure into an AppError', async () => {
    const failing = (raw: unknown): Invoke => async () => Promise.reject(raw);
    await expect(createApi(failing({ code: 'vault.unavailable', message: 'No keychain.' })).appInfo()).rejects.toEqual(
      new AppError('vault.unavailable', 'No keychain.'),
    );
    const err = await createApi(failing('boom')).appInfo().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('ipc.failed');
  });
});

describe('toAppError', () => {
  it('keeps the code and message of an IPC error', () => {
    const err = toAppError({ code: 'vault.unavailable', message: 'No keychain.' });
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('vault.unavailable');
    expect(err.message).toBe('No keychain.');
  });

  it('wraps anything else as ipc.failed with its text', () => {
    expect(toAppError('boom').code).toBe('ipc.failed');
    expect(toAppError('boom').message).toContain('boom');
    expect(toAppError(new Error('bad')).message).toContain('bad');
    expect(toAppError(42).message).toContain('unknown error');
  });
});
