import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import App from './App.svelte';
import { fmtInt } from './lib/format';
import { collectionRows } from './collections/rows';
import type { FakeOptions } from './testing/fake';
import { errOf, okOf } from './testing/recorded';
import { renderWith } from './testing/render';
import { APP, ENGINE, IMPORT, KEYS, KEY_REFUSED, NO_DATA_DIR, NO_KEYCHAIN, NO_SANDBOX, RATE_WAIT, SHARE } from './testing/scenarios';

/** The shell without the reminder banners (the first recorded reminders are due). */
const quiet: FakeOptions['overrides'] = { keys_due_reminders: (e) => 'ok' in e && e.ok.length === 0 };

function setup(options: FakeOptions = {}) {
  return renderWith(App, { scenario: ENGINE, ...options, overrides: { ...quiet, ...options.overrides } });
}

describe('the shell', () => {
  // The views other than Keys load when first opened (the app fetches them once its first screen
  // is painted); here each is compiled on its first import, which can outlast a `findBy`'s wait.
  beforeAll(async () => {
    await Promise.all(
      ['CollectionsView', 'EnvironmentsView', 'SharingView', 'UsageView', 'ActivityView'].map((v) => import(`./views/${v}.svelte`)),
    );
  }, 60_000);

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

  it('asks /me beside the meters snapshot at start-up, and marks the first answer once painted', async () => {
    const MARK = 'postdesk:first-answer-painted';
    // The mark is global: the previous test's shell may still be setting its own.
    await new Promise((r) => setTimeout(r, 200));
    performance.clearMarks(MARK);
    const { calls, hold } = setup();
    const snapshot = hold('engine_meters');
    // The one start-up call does not wait for the snapshot (the meters store keeps the newer).
    await waitFor(() => expect(calls.count('engine_usage')).toBe(1));
    expect(calls.count('engine_meters')).toBe(1);
    expect(performance.getEntriesByName(MARK)).toHaveLength(0);
    snapshot.release();
    await waitFor(() => expect(performance.getEntriesByName(MARK)).toHaveLength(1));
    // Then, not before, the update check.
    await waitFor(() => expect(calls.count('app_check_update')).toBe(1));
  });

  it('shows the version, data folder, sandbox and keychain from app_info, asked once', async () => {
    const { calls } = setup();
    const info = okOf('app_info', APP);
    expect(await screen.findByText(`${info.name} ${info.version}`)).toBeInTheDocument();
    expect(screen.getByText(`Data: ${info.dataDir}`)).toBeInTheDocument();
    expect(screen.getByText(`Built-in sandbox on ${info.sandbox.url!.replace('http://', '')}`)).toBeInTheDocument();
    expect(screen.getByText(`Keychain: ${info.keychain.backend}`)).toBeInTheDocument();
    expect(calls.count('app_info')).toBe(1);
  });

  it('says what to do when no keychain is usable', async () => {
    setup({ overrides: { app_info: NO_KEYCHAIN } });
    const down = okOf('app_info', NO_KEYCHAIN).keychain;
    expect(down.available).toBe(false);
    expect(await screen.findByText(down.error!)).toHaveAttribute('role', 'alert');
    expect(screen.queryByTestId('keychain')).toBeNull();
  });

  it('says why the built-in sandbox is not running', async () => {
    const { calls } = setup({ overrides: { app_info: NO_SANDBOX } });
    await waitFor(() => expect(calls.count('app_info')).toBe(1));
    expect(await screen.findByText(okOf('app_info', NO_SANDBOX).sandbox.error!)).toHaveAttribute('role', 'alert');
    expect(screen.queryByTestId('sandbox-url')).toBeNull();
  });

  it('shows a failed app_info as an alert with its message', async () => {
    setup({ overrides: { app_info: NO_DATA_DIR } });
    expect(await screen.findByRole('alert')).toHaveTextContent(errOf('app_info', NO_DATA_DIR).message);
  });

  it('shows the due expiry reminders Rust gives as banners that can be dismissed', async () => {
    const { calls, user } = renderWith(App, { scenario: KEYS });
    const [due] = okOf('keys_due_reminders', KEYS);
    const banner = await screen.findByTestId('expiry-reminder');
    // The days left are Rust's (the app's clock), whatever the date in the webview.
    expect(banner).toHaveTextContent(`Your API key "${due!.name}" expires in ${due!.daysLeft} days (${due!.expiresOn})`);
    await user.click(within(banner).getByRole('button', { name: `Dismiss reminder for ${due!.name}` }));
    expect(screen.queryByTestId('expiry-reminder')).toBeNull();
    expect(calls.of('keys_dismiss_reminder')).toEqual([{ keyId: due!.keyId, days: due!.days }]);
  });

  it('offers to verify or replace the active key when Postman refuses it', async () => {
    const { user } = setup({ scenario: KEYS, overrides: { engine_usage: KEY_REFUSED } });
    expect(errOf('engine_usage', KEY_REFUSED).code).toBe('api.invalidKey');
    const banner = await screen.findByTestId('key-refused');
    expect(banner).toHaveTextContent(`Postman refused the active key "${okOf('engine_active_key', KEYS)!.name}"`);
    await user.click(screen.getByRole('button', { name: 'Verify or replace' }));
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Keys');
  });

  it('switches views by click', async () => {
    const { user } = setup({ overrides: { sharing_page: (e) => 'ok' in e && e.ok.rows.length === 0 } });
    await user.click(screen.getByRole('button', { name: 'Sharing' }));
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Sharing');
    expect(await screen.findByRole('region', { name: 'Sharing: empty' })).toHaveTextContent('PMAT-');
    expect(screen.getByRole('button', { name: 'Sharing' })).toHaveAttribute('aria-current', 'page');
    expect(screen.getByRole('button', { name: 'Keys' })).not.toHaveAttribute('aria-current');
  });

  it('opens the Collections and Environments views on the remembered workspace', async () => {
    const { user, calls } = setup({ scenario: IMPORT });
    const rows = collectionRows(okOf('library_collections', IMPORT)).rows;
    await user.click(screen.getByRole('button', { name: 'Collections' }));
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Collections');
    await waitFor(() => expect(screen.getByTestId('collection-count')).toHaveTextContent(`${rows.length} of ${rows.length}`));
    // The preference Rust keeps: no workspace remembered, so all of them.
    expect(okOf('prefs_get').workspace).toBeNull();
    expect(calls.of('library_collections')[0]).toEqual({ workspace: null, force: false });
    await user.click(screen.getByRole('button', { name: 'Environments' }));
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Environments');
    const [env] = okOf('library_environments').rows;
    expect(await screen.findByRole('button', { name: new RegExp(env!.name) })).toBeInTheDocument();
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

  it('shows the active key and the meters read at start, then moves them on every meters event', async () => {
    const { emit } = setup();
    const key = okOf('engine_active_key', ENGINE)!;
    const start = okOf('engine_meters', ENGINE);
    await vi.waitFor(() => expect(screen.getByTestId('active-key')).toHaveTextContent(key.name));
    expect(screen.getByRole('group', { name: 'Active key' })).toHaveTextContent(key.masked);
    await vi.waitFor(() => expect(screen.getByTestId('rate-text')).toHaveTextContent(`${start.rateRemaining} of ${start.rateLimit} left`));
    expect(screen.getByTestId('month-text')).toHaveTextContent('Not measured yet');
    const m = emit('meters', { scenario: IMPORT });
    await vi.waitFor(() => expect(screen.getByTestId('rate-text')).toHaveTextContent(`${m.rateRemaining} of ${m.rateLimit} left`));
    expect(screen.getByTestId('month-text')).toHaveTextContent(`${fmtInt(m.monthLimit! - m.monthRemaining!)} of ${fmtInt(m.monthLimit!)}`);
  });

  describe('on a fake clock', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('counts the reset of the rate window down between two events', async () => {
      vi.useFakeTimers();
      const { emit } = setup();
      await vi.waitFor(() => expect(screen.getByTestId('rate-text')).toHaveTextContent('left'));
      const m = emit('meters', { scenario: SHARE });
      const s = Math.ceil(m.rateResetInMs! / 1000);
      await vi.waitFor(() => expect(screen.getByTestId('rate-detail')).toHaveTextContent(`resets in ${s} s`));
      await vi.advanceTimersByTimeAsync(10_000);
      expect(screen.getByTestId('rate-detail')).toHaveTextContent(`resets in ${s - 10} s`);
      // The meters tick once a second: the window is open at the first tick after it reset.
      await vi.advanceTimersByTimeAsync(s * 1000 - 10_000);
      expect(screen.getByTestId('rate-detail')).toHaveTextContent('window open');
    });

    it('counts the wait for the rate limit down', async () => {
      vi.useFakeTimers();
      setup({ overrides: { engine_meters: RATE_WAIT } });
      const m = okOf('engine_meters', RATE_WAIT);
      expect(m.queued).toBeGreaterThan(1);
      await vi.waitFor(() => expect(screen.getByTestId('rate-text')).toHaveTextContent(`Waiting ${Math.ceil(m.waitingMs! / 1000)} s`));
      await vi.advanceTimersByTimeAsync(m.waitingMs!);
      expect(screen.getByTestId('rate-text')).toHaveTextContent('left');
    });
  });

  it('jumps to a view with Ctrl+number', async () => {
    const { user } = setup();
    await user.keyboard('{Control>}7{/Control}');
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Usage');
  });

  it('opens the view another view asks for (Collections → "Mock it" → Mocks)', async () => {
    const { services } = setup();
    services.navigation.open({ view: 'mocks', mockCollection: 'a-collection' });
    await waitFor(() => expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Mocks'));
  });
});

describe('the Preferences', () => {
  async function openPreferences() {
    const fake = setup({ scenario: APP });
    const button = await screen.findByRole('button', { name: 'Preferences' });
    await fake.user.click(button);
    const dialog = await screen.findByRole('dialog', { name: 'Preferences' });
    await within(dialog).findByRole('group', { name: 'Theme' });
    return { ...fake, button, dialog };
  }

  it('opens from the sidebar footer as a dialog that Escape closes, giving the focus back', async () => {
    const { user, button, dialog } = await openPreferences();
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    expect(dialog).toContainElement(document.activeElement as HTMLElement);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(button).toHaveFocus();
  });

  it('shows the preferences Rust keeps', async () => {
    const { dialog } = await openPreferences();
    const prefs = okOf('prefs_get', APP);
    expect(within(dialog).getByRole('radio', { name: 'System' })).toBeChecked();
    expect(within(dialog).getByTestId('notify-expiring-shares')).toHaveProperty('checked', prefs.notifyExpiringShares);
    expect(within(dialog).getByTestId('notify-key-reminders')).toHaveProperty('checked', prefs.notifyKeyReminders);
    for (const d of [30, 14, 7, 3, 1, 0]) {
      expect(within(dialog).getByTestId(`reminder-day-${d}`)).toHaveProperty('checked', prefs.reminderDays.includes(d));
    }
  });

  it('sends a change to Rust and shows what Rust kept; the theme goes on the root element', async () => {
    const { user, dialog, calls } = await openPreferences();
    await user.click(within(dialog).getByRole('radio', { name: 'Dark' }));
    const kept = okOf('prefs_set', APP);
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe(kept.theme));
    expect(calls.of('prefs_set')[0]!.prefs).toEqual({ ...okOf('prefs_get', APP), theme: 'dark' });
    // Rust's answer is the truth: the whole dialog follows it.
    for (const d of [30, 14, 7, 3, 1, 0]) {
      expect(within(dialog).getByTestId(`reminder-day-${d}`)).toHaveProperty('checked', kept.reminderDays.includes(d));
    }
    expect(within(dialog).getByTestId('notify-expiring-shares')).toHaveProperty('checked', kept.notifyExpiringShares);
  });

  it('says why Rust refused a change, and shows the preferences as Rust has them', async () => {
    const { user, dialog } = await openPreferences();
    await user.click(within(dialog).getByRole('radio', { name: 'Dark' }));
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe('dark'));
    await user.click(within(dialog).getByTestId('reminder-day-14'));
    expect(await within(dialog).findByTestId('prefs-error')).toHaveTextContent(errOf('prefs_set', APP).message);
    const now = okOf('prefs_get', APP, 1);
    await waitFor(() => expect(within(dialog).getByTestId('reminder-day-14')).toHaveProperty('checked', now.reminderDays.includes(14)));
  });
});
