import { describe, expect, it, vi } from 'vitest';
import { screen, within } from '@testing-library/svelte';
import KeysView from './KeysView.svelte';
import { SECRET_FORMATS } from '../bindings/Commands';
import { daysLeftText, pasteHint, reminderText, secretLength } from '../lib/keys';
import { fmtInt } from '../lib/format';
import type { FakeOptions } from '../testing/fake';
import { argsOf, errCoded, errOf, exchanges, okOf } from '../testing/recorded';
import { renderWith } from '../testing/render';
import { KEYS, ROTATION, SHARE, answered, refused } from '../testing/scenarios';

function setup(options: FakeOptions = {}) {
  const onactivechange = vi.fn();
  const onexplore = vi.fn();
  const fake = renderWith(KeysView, { scenario: KEYS, ...options, props: { onactivechange, onexplore } });
  return { ...fake, onactivechange, onexplore };
}

/** The keys list with the key the recorder added. */
const withKey: FakeOptions['overrides'] = { keys_list: (e) => 'ok' in e && e.ok.length > 0 };

/** A well-formed API key for the form (made at run time: no key-shaped literal in the source). */
const KEY = `${SECRET_FORMATS.apiKey.prefix}${'0123456789abcdef'.repeat(2).slice(0, 24)}-${'0123456789abcdef'.repeat(3).slice(0, 34)}`;

describe('paste hints', () => {
  it('explain what is wrong with a paste before it is sent, with the formats Rust checks with', () => {
    expect(pasteHint('')).toBeNull();
    expect(pasteHint(`  "${KEY}"\n`)).toBeNull();
    expect(KEY).toHaveLength(secretLength(SECRET_FORMATS.apiKey));
    expect(pasteHint('PMAT-01HNAVJSMAPRM5FA4SKEDTGG51')).toContain('collection access key');
    expect(pasteHint('hello, this is not a key')).toBe('A Postman API key starts with PMAK-.');
    expect(pasteHint(`my key is ${KEY}`)).toContain('only the key itself');
    expect(pasteHint(KEY.replace('PMAK', 'pmak'))).toContain('capital letters');
    expect(pasteHint(KEY.slice(0, 40))).toContain('incomplete');
    expect(pasteHint(`${KEY}ff`)).toContain('too long');
    expect(pasteHint(KEY.replace('a', 'A'))).toContain('never has');
    expect(pasteHint('x'.repeat(5000))).toContain('far longer');
    expect(pasteHint('PMAT-0000000000000000000000A4TF', SECRET_FORMATS.accessToken)).toBeNull();
  });

  it('flag every paste Rust refused as malformed, and none Rust accepted', () => {
    const keyPastes = exchanges('keys_add').map((e) => ({ paste: e.args.request.key, e }));
    const tokenPastes = exchanges('sharing_add_token').map((e) => ({ paste: e.args.token, e }));
    expect(keyPastes.length).toBeGreaterThan(3);
    for (const { paste, e } of keyPastes) {
      // An empty field is not hinted at: the form requires it.
      if ('err' in e && e.err.code === 'keys.format' && paste.trim() !== '') expect(pasteHint(paste), paste).not.toBeNull();
      if ('ok' in e || ('err' in e && e.err.code !== 'keys.format')) expect(pasteHint(paste), paste).toBeNull();
    }
    for (const { paste, e } of tokenPastes) {
      if ('err' in e && e.err.code === 'sharing.badToken') expect(pasteHint(paste, SECRET_FORMATS.accessToken)).not.toBeNull();
      if ('ok' in e) expect(pasteHint(paste, SECRET_FORMATS.accessToken)).toBeNull();
    }
  });

  it('say how long a key has left, and what a reminder says', () => {
    expect(daysLeftText(null)).toBe('No expiry');
    expect(daysLeftText(2)).toBe('2 days left');
    expect(daysLeftText(1)).toBe('1 day left');
    expect(daysLeftText(0)).toBe('Expires today');
    expect(daysLeftText(-3)).toBe('Expired 3 days ago');
    const [due] = okOf('keys_due_reminders', KEYS);
    expect(reminderText(due!)).toBe(`Your API key "${due!.name}" expires in 2 days (${due!.expiresOn}). Rotate it before it stops working.`);
    expect(reminderText({ ...due!, daysLeft: 0 })).toContain('expires today');
    expect(reminderText({ ...due!, daysLeft: -1 })).toContain('has expired');
  });
});

describe('Keys view', () => {
  it('offers the two first-run paths', async () => {
    const { user, onexplore } = setup();
    const welcome = await screen.findByRole('region', { name: 'Get started' });
    await user.click(within(welcome).getByRole('button', { name: 'Explore with the built-in sandbox' }));
    expect(onexplore).toHaveBeenCalled();
  });

  it('adds a key: sends the paste once, clears the field, reports the owner Rust found', async () => {
    const { user, calls, onactivechange } = setup();
    const added = okOf('keys_add', KEYS);
    await user.click(await screen.findByRole('button', { name: 'Add your Postman API key' }));
    await user.click(screen.getByRole('button', { name: 'Generate a key in Postman' }));
    expect(calls.count('keys_open_postman')).toBe(1);
    await user.type(screen.getByLabelText('API key'), KEY);
    expect(screen.getByLabelText('API key')).toHaveAttribute('type', 'password');
    await user.type(screen.getByLabelText('Key name'), added.name);
    await user.selectOptions(screen.getByLabelText('Region'), 'sandbox');
    await user.click(screen.getByRole('button', { name: 'Verify and add' }));
    expect(calls.of('keys_add')).toEqual([{ request: { name: added.name, key: KEY, region: 'sandbox', expiresOn: null } }]);
    expect(await screen.findByRole('status')).toHaveTextContent(`Added "${added.name}" for ${added.owner!.username}`);
    expect(onactivechange).toHaveBeenCalled();
  });

  it('keeps the form and shows Rust\'s sentence when Postman refuses the key', async () => {
    const { user } = setup({ overrides: { keys_add: refused('api.invalidKey') } });
    await user.click(await screen.findByRole('button', { name: 'Add your Postman API key' }));
    await user.type(screen.getByLabelText('API key'), KEY);
    await user.type(screen.getByLabelText('Key name'), 'Old');
    await user.click(screen.getByRole('button', { name: 'Verify and add' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(errCoded('keys_add', 'api.invalidKey').message);
    expect(screen.getByLabelText('Key name')).toHaveValue('Old');
  });

  it('blocks a collection access key paste with a specific message', async () => {
    const { user } = setup();
    await user.click(await screen.findByRole('button', { name: 'Add your Postman API key' }));
    await user.type(screen.getByLabelText('API key'), argsOf('sharing_add_token', SHARE, 2).token.trim());
    expect(screen.getByRole('alert')).toHaveTextContent('collection access key');
    expect(screen.getByRole('button', { name: 'Verify and add' })).toBeDisabled();
  });

  it('lists the keys with status, urgency and usage; deletes only after confirming', async () => {
    // (The recorded delete of this very key failed: it had been rotated. The other one answers.)
    const { user, calls } = setup({ overrides: { ...withKey, keys_delete: answered } });
    const [key] = okOf('keys_list', KEYS, 1);
    const table = await screen.findByRole('table', { name: 'API keys' });
    const row = await within(table).findByText(key!.name).then((cell) => cell.closest('tr')!);
    expect(row).toHaveTextContent(key!.name);
    expect(row).toHaveTextContent('Active');
    expect(row).toHaveTextContent(daysLeftText(key!.daysLeft));
    expect(within(row).getByTestId('key-expiry')).toHaveClass(`urgency-${key!.urgency}`);
    expect(row).toHaveTextContent(key!.masked);
    expect(row).toHaveTextContent(`of ${fmtInt(key!.monthLimit!)}`);
    expect(within(row).getByTestId('key-status')).toHaveTextContent('Valid');
    await user.click(screen.getByRole('button', { name: `Delete ${key!.name}` }));
    expect(calls.count('keys_delete')).toBe(0);
    await user.click(screen.getByRole('button', { name: 'Delete' }));
    expect(calls.of('keys_delete')).toEqual([{ id: key!.id }]);
    expect(await screen.findByRole('status')).toHaveTextContent(`Deleted "${key!.name}".`);
  });

  it('goes back to the built-in sandbox', async () => {
    const { user, calls, onactivechange } = setup({ overrides: withKey });
    await user.click(await screen.findByRole('button', { name: 'Use the built-in sandbox' }));
    expect(calls.of('keys_set_active')).toEqual([{ id: null }]);
    expect(await screen.findByRole('status')).toHaveTextContent('Now using the built-in sandbox.');
    expect(onactivechange).toHaveBeenCalled();
  });

  it('rotates a key and reminds to delete the old one in Postman', async () => {
    const { user, calls } = setup({ overrides: { ...withKey, keys_rotate: (e) => 'ok' in e } });
    const [key] = okOf('keys_list', KEYS, 1);
    const rotation = okOf('keys_rotate', ROTATION);
    await user.click(await screen.findByRole('button', { name: `Rotate ${key!.name}` }));
    await user.type(screen.getByLabelText('API key'), KEY);
    await user.type(screen.getByLabelText('Key name'), 'Work 2');
    await user.click(screen.getByRole('button', { name: 'Verify and rotate' }));
    expect(calls.of('keys_rotate')).toEqual([{ oldId: key!.id, replacement: { name: 'Work 2', key: KEY, region: key!.region, expiresOn: null } }]);
    const notice = await screen.findByRole('status');
    expect(notice).toHaveTextContent(`Rotated: "${rotation.newKey.name}" replaces "${rotation.retiredName}"`);
    expect(notice).toHaveTextContent(`Delete the old key in Postman too: ${rotation.deleteInPostmanUrl}`);
  });

  it('keeps the rotate form and says why when the new key is another account\'s', async () => {
    const { user } = setup({ overrides: { ...withKey, keys_rotate: refused('keys.wrongUser') } });
    const [key] = okOf('keys_list', KEYS, 1);
    await user.click(await screen.findByRole('button', { name: `Rotate ${key!.name}` }));
    await user.type(screen.getByLabelText('API key'), KEY);
    await user.type(screen.getByLabelText('Key name'), 'Work 2');
    await user.click(screen.getByRole('button', { name: 'Verify and rotate' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(errOf('keys_rotate', ROTATION).message);
    expect(screen.getByRole('button', { name: 'Verify and rotate' })).toBeInTheDocument();
  });

  it('renames and changes the expiry inline, and shows why Rust refused one', async () => {
    const { user, calls } = setup({ overrides: withKey });
    const [key] = okOf('keys_list', KEYS, 1);
    const renamed = okOf('keys_rename', KEYS);
    await user.click(await screen.findByRole('button', { name: `Rename ${key!.name}` }));
    const input = screen.getByLabelText('New name');
    await user.clear(input);
    await user.type(input, `${renamed.name}{Enter}`);
    expect(calls.of('keys_rename')).toEqual([{ id: key!.id, name: renamed.name }]);
    await user.click(await screen.findByRole('button', { name: `Change expiry of ${key!.name}` }));
    await user.type(screen.getByLabelText('New expiry date'), '2026-11-25');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(calls.of('keys_set_expiry')).toEqual([{ id: key!.id, expiresOn: '2026-11-25' }]);
    // A blank name: what Rust says is shown, the form stays.
    await user.click(await screen.findByRole('button', { name: `Rename ${key!.name}` }));
    await user.clear(screen.getByLabelText('New name'));
    await user.type(screen.getByLabelText('New name'), '  {Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent(errOf('keys_rename', KEYS).message);
    expect(screen.getByLabelText('New name')).toBeInTheDocument();
  });
});
