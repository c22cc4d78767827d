import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import App from './App.svelte';
import { AppError } from './platform/ipc';
import { appInfo as info, fakeCommands } from './test-fakes';

function setup(appInfo = vi.fn(async () => info)) {
  const user = userEvent.setup();
  const { commands, emitMeters } = fakeCommands({ appInfo });
  render(App, { props: { commands } });
  return { user, appInfo, commands, emitMeters };
}

describe('the shell', () => {
  it('opens on Keys with its empty state and the reserved header', async () => {
    setup();
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Keys');
    expect(await screen.findByRole('region', { name: 'Get started' })).toHaveTextContent('built-in sandbox');
    expect(screen.getByRole('button', { name: 'Add your Postman API key' })).toBeInTheDocument();
    expect(screen.getByRole('group', { name: 'Active key' })).toBeInTheDocument();
    expect(screen.getByRole('group', { name: 'Rate limit' })).toBeInTheDocument();
    expect(screen.getByRole('group', { name: 'Monthly usage' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Keys' })).toHaveAttribute('aria-current', 'page');
  });

  it('shows the version and data folder from the typed IPC call', async () => {
    const { appInfo } = setup();
    expect(await screen.findByText('Postdesk 9.8.7')).toBeInTheDocument();
    expect(screen.getByText(`Data: ${info.dataDir}`)).toBeInTheDocument();
    expect(screen.getByText('Built-in sandbox on 127.0.0.1:40123')).toBeInTheDocument();
    expect(appInfo).toHaveBeenCalledTimes(1);
  });

  it('names the keychain, or says plainly why it cannot be used', async () => {
    setup();
    expect(await screen.findByText('Keychain: Secret Service')).toBeInTheDocument();
  });

  it('says what to do when no keychain is usable', async () => {
    const error = 'Postdesk keeps API keys in the Secret Service, and none is running.';
    setup(vi.fn(async () => ({ ...info, keychain: { backend: 'Secret Service', available: false, error } })));
    expect(await screen.findByRole('alert')).toHaveTextContent(error);
  });

  it('says why the built-in sandbox is not running', async () => {
    const error = 'The built-in sandbox could not start: boom.';
    setup(vi.fn(async () => ({ ...info, sandbox: { url: null, error } })));
    expect(await screen.findByRole('alert')).toHaveTextContent(error);
  });

  it('shows expiry reminders as a banner that can be dismissed', async () => {
    const { commands } = fakeCommands({
      dueReminders: vi.fn(async () => [
        { keyId: 'k-1', name: 'Work', days: 3, daysLeft: 2, expiresOn: '2026-11-25' },
        { keyId: 'k-2', name: 'Old', days: 0, daysLeft: -1, expiresOn: '2026-11-22' },
        { keyId: 'k-3', name: 'Today', days: 0, daysLeft: 0, expiresOn: '2026-11-23' },
      ]),
    });
    const user = userEvent.setup();
    render(App, { props: { commands } });
    await screen.findAllByTestId('expiry-reminder');
    const [banner, expired, today] = screen.getAllByTestId('expiry-reminder');
    // The days left are Rust's (the app's clock), whatever the date in the webview.
    expect(banner).toHaveTextContent('Your API key "Work" expires in 2 days (2026-11-25)');
    expect(expired).toHaveTextContent('Your API key "Old" has expired (2026-11-22)');
    expect(today).toHaveTextContent('Your API key "Today" expires today (2026-11-23)');
    await user.click(screen.getByRole('button', { name: 'Dismiss reminder for Work' }));
    expect(screen.getAllByTestId('expiry-reminder')).toHaveLength(2);
    expect(commands.dismissReminder).toHaveBeenCalledWith('k-1', 3);
  });

  it('offers to verify or replace the active key when Postman refuses it', async () => {
    const { commands } = fakeCommands({
      activeKey: vi.fn(async () => ({ id: 'k-1', name: 'Work', region: 'us', masked: 'PMAK-…ab12' })),
      usage: vi.fn(async () => {
        throw new AppError('api.invalidKey', 'Postman refused the API key.');
      }),
    });
    const user = userEvent.setup();
    render(App, { props: { commands } });
    const banner = await screen.findByTestId('key-refused');
    expect(banner).toHaveTextContent('Postman refused the active key "Work": it is invalid or revoked');
    await user.click(screen.getByRole('button', { name: 'Verify or replace' }));
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Keys');
  });

  it('shows a failed IPC call as an alert with its message', async () => {
    setup(vi.fn(async () => {
      throw new AppError('app.dataDirUnavailable', 'The data folder cannot be used.');
    }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The data folder cannot be used.');
  });

  it('switches views by click', async () => {
    const { user } = setup();
    await user.click(screen.getByRole('button', { name: 'Sharing' }));
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Sharing');
    expect(await screen.findByRole('region', { name: 'Sharing: empty' })).toHaveTextContent('PMAT-');
    expect(screen.getByRole('button', { name: 'Sharing' })).toHaveAttribute('aria-current', 'page');
    expect(screen.getByRole('button', { name: 'Keys' })).not.toHaveAttribute('aria-current');
  });

  it('opens the Collections and Environments views', async () => {
    const { user, commands } = setup();
    await user.click(screen.getByRole('button', { name: 'Collections' }));
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Collections');
    await waitFor(() => expect(screen.getByTestId('collection-count')).toHaveTextContent('2 of 2'));
    expect(commands.collections).toHaveBeenCalledWith(null, false);
    await user.click(screen.getByRole('button', { name: 'Environments' }));
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Environments');
    expect(await screen.findByRole('button', { name: /Staging/ })).toBeInTheDocument();
    expect(screen.getByTestId('workspace-switcher')).toBeInTheDocument();
  });

  it('moves between views with the arrow keys, keeping focus in the sidebar', async () => {
    const { user } = setup();
    screen.getByRole('button', { name: 'Keys' }).focus();
    await user.keyboard('{ArrowDown}');
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Collections');
    expect(screen.getByRole('button', { name: 'Collections' })).toHaveFocus();
    await user.keyboard('{End}');
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Activity');
    await user.keyboard('{ArrowDown}');
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Keys');
  });

  it('shows the active key and moves the meters on every meters event', async () => {
    const { emitMeters } = setup();
    await vi.waitFor(() => expect(screen.getByTestId('active-key')).toHaveTextContent('Sandbox (taylor-lee)'));
    expect(screen.getByRole('group', { name: 'Active key' })).toHaveTextContent('PMAK-…ab12');
    expect(screen.getByTestId('rate-text')).toHaveTextContent('No calls yet');
    await vi.waitFor(() => expect(screen.getByTestId('month-text')).toHaveTextContent('Not measured yet'));
    emitMeters({
      rateLimit: 300,
      rateRemaining: 287,
      rateResetInMs: 30_000,
      waitingMs: null,
      queued: 0,
      monthLimit: 1_000_000,
      monthRemaining: 989_212,
      quotaBlocked: false,
    });
    await vi.waitFor(() => expect(screen.getByTestId('rate-text')).toHaveTextContent('287 of 300 left'));
    expect(screen.getByTestId('month-text')).toHaveTextContent('10,788 of 1,000,000 (1.1%)');
  });

  describe('on a fake clock', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('counts the waits of the meters down between two events', async () => {
      vi.useFakeTimers();
      const { commands, emitMeters } = fakeCommands();
      render(App, { props: { commands } });
      await vi.waitFor(() => expect(screen.getByTestId('active-key')).toHaveTextContent('Sandbox (taylor-lee)'));
      emitMeters({
        rateLimit: 2,
        rateRemaining: 0,
        rateResetInMs: 30_000,
        waitingMs: 12_500,
        queued: 3,
        monthLimit: null,
        monthRemaining: null,
        quotaBlocked: false,
      });
      await vi.waitFor(() => expect(screen.getByTestId('rate-text')).toHaveTextContent('Waiting 13 s for the rate limit'));
      expect(screen.getByTestId('rate-detail')).toHaveTextContent('3 calls queued');
      await vi.advanceTimersByTimeAsync(10_000);
      expect(screen.getByTestId('rate-text')).toHaveTextContent('Waiting 3 s for the rate limit');
      await vi.advanceTimersByTimeAsync(3_000);
      expect(screen.getByTestId('rate-text')).toHaveTextContent('0 of 2 left');
      expect(screen.getByTestId('rate-detail')).toHaveTextContent('resets in 17 s');
      await vi.advanceTimersByTimeAsync(17_000);
      expect(screen.getByTestId('rate-detail')).toHaveTextContent('window open');
    });
  });

  it('jumps to a view with Ctrl+number', async () => {
    const { user } = setup();
    await user.keyboard('{Control>}5{/Control}');
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Usage');
  });
});
