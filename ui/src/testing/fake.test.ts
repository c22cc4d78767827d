import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/client';
import { fakeApi, takeUnanswered } from './fake';
import { argsOf, errOf, exchanges, okOf, payloadOf, SCENARIOS } from './recorded';

const KEYS = 'keys: add, rename, expiry, reminders, switch';

describe('the recorded fake', () => {
  it('answers the next recorded exchange of the scenario, the one sent with the same arguments first', async () => {
    const { api, calls } = fakeApi({ scenario: KEYS });
    const id = okOf('keys_add', KEYS).id;
    // Recorded: a good name, then a blank one (refused). Asked the other way round:
    await expect(api.keysRename({ id, name: '  ' })).rejects.toEqual(new AppError('keys.format', errOf('keys_rename', KEYS).message));
    expect(await api.keysRename({ id, name: 'Team key' })).toEqual(okOf('keys_rename', KEYS));
    // Used up: the last one again.
    expect(await api.keysRename({ id, name: 'Team key' })).toEqual(okOf('keys_rename', KEYS));
    expect(calls.of('keys_rename').map((a) => a.name)).toEqual(['  ', 'Team key', 'Team key']);
  });

  it('answers in the recorded order when no arguments match, and without a scenario the first recorded answer', async () => {
    const inOrder = fakeApi({ scenario: KEYS });
    expect(await inOrder.api.keysDueReminders()).toEqual(okOf('keys_due_reminders', KEYS, 0));
    expect(await inOrder.api.keysDueReminders()).toEqual(okOf('keys_due_reminders', KEYS, 1));
    const any = fakeApi();
    expect(await any.api.appInfo()).toEqual(okOf('app_info'));
  });

  it('answers a recorded error only to a test that chose it (by its scenario or an override)', async () => {
    const down = 'errors: Postman answers every call with 503';
    const args = argsOf('library_collections', down);
    // Recorded with these arguments only as an error: another test gets the first recorded answer.
    expect(exchanges('library_collections').filter((e) => JSON.stringify(e.args) === JSON.stringify(args)).every((e) => 'err' in e)).toBe(true);
    expect(await fakeApi().api.libraryCollections(args)).toEqual(okOf('library_collections'));
    await expect(fakeApi({ scenario: down }).api.libraryCollections(args)).rejects.toEqual(new AppError('api.server', errOf('library_collections', down).message));
  });

  it('lets a test choose which recorded exchange answers, never what it says', async () => {
    const { api } = fakeApi({ overrides: { keys_add: (e) => 'err' in e && e.err.code === 'api.invalidKey' } });
    const err = await api.keysAdd(argsOf('keys_add', KEYS)).catch((e: unknown) => e);
    expect(err).toEqual(new AppError('api.invalidKey', errOf('keys_add', 'keys: refused pastes', 5).message));
  });

  it('fails loudly for a command nothing recorded, and for a scenario nobody recorded', async () => {
    expect(() => fakeApi({ scenario: 'no such scenario' })).toThrow('No recorded scenario');
    const { api } = fakeApi({ overrides: { app_info: () => false } });
    await expect(api.appInfo()).rejects.toThrow('Ask for it to be recorded');
    expect(takeUnanswered()).toHaveLength(1);
  });

  it('holds answers until released, and emits the recorded events in order', async () => {
    const fake = fakeApi({ scenario: 'library: a collection from import to save' });
    const seen: unknown[] = [];
    await fake.listen('save-progress', (p) => seen.push(p));
    const gate = fake.hold('library_drafts');
    let answered = false;
    const drafts = fake.api.libraryDrafts().then(() => (answered = true));
    await Promise.resolve();
    expect(answered).toBe(false);
    gate.release();
    await drafts;
    expect(answered).toBe(true);
    expect(fake.emit('save-progress')).toEqual(payloadOf('save-progress', 'library: a collection from import to save'));
    expect(seen).toEqual([payloadOf('save-progress')]);
    expect(() => fake.emit('revoke-progress', { scenario: 'keys: rotation' })).not.toThrow();
  });

  it('reads a recording where every scenario is named and every error has a code and a sentence', () => {
    expect(SCENARIOS.size).toBeGreaterThan(5);
    for (const e of exchanges('keys_add')) if ('err' in e) expect(e.err.message).toMatch(/\.$/);
  });
});
