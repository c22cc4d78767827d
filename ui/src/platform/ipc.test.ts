import { describe, expect, it } from 'vitest';
import { AppError, toAppError } from './ipc';

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
