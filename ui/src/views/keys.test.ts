import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import KeysView from './KeysView.svelte';
import { AppError } from '../platform/ipc';
import { fakeCommands, keyView } from '../test-fakes';
import { daysLeftText, pasteHint } from '../lib/keys';

const KEY = 'PMAK-0123456789abcdef01234567-0123456789abcdef0123456789abcdef01';

function setup(over = {}) {
  const { commands } = fakeCommands(over);
  const onactivechange = vi.fn();
  const onexplore = vi.fn();
  render(KeysView, { props: { commands, onactivechange, onexplore } });
  return { commands, onactivechange, onexplore, user: userEvent.setup() };
}

describe('paste hints', () => {
  it('explains what is wrong with a paste before it is sent', () => {
    expect(pasteHint('')).toBeNull();
    expect(pasteHint(`  "${KEY}"\n`)).toBeNull();
    expect(pasteHint('PMAT-01HNAVJSMAPRM5FA4SKEDTGG51')).toContain('collection access key');
    expect(pasteHint('hello')).toContain('starts with PMAK-');
    expect(pasteHint('x'.repeat(5000))).toContain('far longer');
  });

  it('says how long a key has left', () => {
    expect(daysLeftText(null)).toBe('No expiry');
    expect(daysLeftText(2)).toBe('2 days left');
    expect(daysLeftText(1)).toBe('1 day left');
    expect(daysLeftText(0)).toBe('Expires today');
    expect(daysLeftText(-3)).toBe('Expired 3 days ago');
  });
});

describe('Keys view', () => {
  it('offers the two first-run paths', async () => {
    const { user, onexplore } = setup();
    const welcome = await screen.findByRole('region', { name: 'Get started' });
    await user.click(within(welcome).getByRole('button', { name: 'Explore with the built-in sandbox' }));
    expect(onexplore).toHaveBeenCalled();
  });

  it('adds a key: trims nothing in the page, sends it once, clears the field, reports the owner', async () => {
    const { user, commands, onactivechange } = setup();
    await user.click(await screen.findByRole('button', { name: 'Add your Postman API key' }));
    await user.click(screen.getByRole('button', { name: 'Generate a key in Postman' }));
    expect(commands.openPostmanKeys).toHaveBeenCalled();
    await user.type(screen.getByLabelText('API key'), KEY);
    expect(screen.getByLabelText('API key')).toHaveAttribute('type', 'password');
    await user.type(screen.getByLabelText('Key name'), 'Laptop');
    await user.selectOptions(screen.getByLabelText('Region'), 'eu');
    await user.click(screen.getByRole('button', { name: 'Verify and add' }));
    expect(commands.addKey).toHaveBeenCalledWith({ name: 'Laptop', key: KEY, region: 'eu', expiresOn: null });
    expect(await screen.findByRole('status')).toHaveTextContent('Added "Laptop" for taylor-lee');
    expect(onactivechange).toHaveBeenCalled();
  });

  it('keeps the form and says why when the key is refused', async () => {
    const { user } = setup({
      addKey: vi.fn(async () => {
        throw new AppError('keys.invalidKey', 'Postman refused this key: it is invalid or revoked.');
      }),
    });
    await user.click(await screen.findByRole('button', { name: 'Add your Postman API key' }));
    await user.type(screen.getByLabelText('API key'), KEY);
    await user.type(screen.getByLabelText('Key name'), 'Old');
    await user.click(screen.getByRole('button', { name: 'Verify and add' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('invalid or revoked');
    expect(screen.getByLabelText('Key name')).toHaveValue('Old');
  });

  it('blocks a collection access key paste with a specific message', async () => {
    const { user } = setup();
    await user.click(await screen.findByRole('button', { name: 'Add your Postman API key' }));
    await user.type(screen.getByLabelText('API key'), 'PMAT-01HNAVJSMAPRM5FA4SKEDTGG51');
    expect(screen.getByRole('alert')).toHaveTextContent('collection access key');
    expect(screen.getByRole('button', { name: 'Verify and add' })).toBeDisabled();
  });

  it('lists keys with status, urgency, usage and actions; deletes only after confirming', async () => {
    const keys = [
      keyView({ id: 'k-1', name: 'Work', active: true, expiresOn: '2026-11-25', daysLeft: 2, urgency: 'urgent' }),
      keyView({ id: 'k-2', name: 'Old', active: false, status: 'invalid', owner: null, monthUsed: null }),
    ];
    const { user, commands } = setup({ keys: vi.fn(async () => keys) });
    const table = await screen.findByRole('table', { name: 'API keys' });
    const rows = within(table).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('Work');
    expect(rows[1]).toHaveTextContent('Active');
    expect(rows[1]).toHaveTextContent('2 days left');
    expect(rows[1]).toHaveTextContent('PMAK-…ab12');
    expect(rows[1]).toHaveTextContent('12% of 1,000');
    expect(within(rows[2] as HTMLElement).getByTestId('key-status')).toHaveTextContent('Invalid or revoked');
    await user.click(screen.getByRole('button', { name: 'Delete Old' }));
    expect(commands.deleteKey).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Delete' }));
    expect(commands.deleteKey).toHaveBeenCalledWith('k-2');
    await user.click(screen.getByRole('button', { name: 'Make Old active' }));
    expect(commands.setActiveKey).toHaveBeenCalledWith('k-2');
  });

  it('rotates a key and reminds to delete the old one in Postman', async () => {
    const { user, commands } = setup({ keys: vi.fn(async () => [keyView({ id: 'k-1', name: 'Work' })]) });
    await user.click(await screen.findByRole('button', { name: 'Rotate Work' }));
    await user.type(screen.getByLabelText('API key'), KEY);
    await user.type(screen.getByLabelText('Key name'), 'Work 2');
    await user.click(screen.getByRole('button', { name: 'Verify and rotate' }));
    expect(commands.rotateKey).toHaveBeenCalledWith('k-1', { name: 'Work 2', key: KEY, region: 'us', expiresOn: null });
    expect(await screen.findByRole('status')).toHaveTextContent('Delete the old key in Postman too: https://go.postman.co/settings/me/api-keys');
  });

  it('renames and changes the expiry inline', async () => {
    const { user, commands } = setup({ keys: vi.fn(async () => [keyView({ id: 'k-1', name: 'Work' })]) });
    await user.click(await screen.findByRole('button', { name: 'Rename Work' }));
    const input = screen.getByLabelText('New name');
    await user.clear(input);
    await user.type(input, 'Team key{Enter}');
    expect(commands.renameKey).toHaveBeenCalledWith('k-1', 'Team key');
    await user.click(await screen.findByRole('button', { name: 'Change expiry of Work' }));
    await user.type(screen.getByLabelText('New expiry date'), '2026-12-24');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(commands.setKeyExpiry).toHaveBeenCalledWith('k-1', '2026-12-24');
  });
});
