// The app's updates and the About dialog, in the whole shell, over what Rust really answered
// (tests/core/scenarios/updates.rs).
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import App from '../App.svelte';
import type { FakeOptions } from '../testing/fake';
import { errOf, events, okOf } from '../testing/recorded';
import { renderWith } from '../testing/render';
import { APP, ENGINE, UP_TO_DATE, UPDATE, UPDATE_BAD_SIGNATURE, UPDATE_INSECURE, UPDATE_UNREACHABLE } from '../testing/scenarios';
import { fmtBytes } from './format';

/** The shell without the reminder banners. */
const quiet: FakeOptions['overrides'] = { keys_due_reminders: (e) => 'ok' in e && e.ok.length === 0 };

function setup(overrides: FakeOptions['overrides'] = {}) {
  return renderWith(App, { scenario: ENGINE, overrides: { ...quiet, ...overrides } });
}

/** What Rust offered in the recorded install. */
function offered() {
  const check = okOf('app_check_update', UPDATE);
  if (check.status !== 'available') throw new Error('the recorded check offers no update');
  return check.update;
}

async function banner() {
  return screen.findByRole('region', { name: 'Postdesk update' });
}

describe('the automatic update check', () => {
  it('asks Rust once after the first screen; up to date shows nothing', async () => {
    const { calls } = setup({ app_check_update: UP_TO_DATE });
    await waitFor(() => expect(calls.of('app_check_update')).toEqual([{ manual: false }]));
    expect(calls.commands().indexOf('app_check_update')).toBeGreaterThan(calls.commands().indexOf('engine_meters'));
    expect(screen.queryByRole('region', { name: 'Postdesk update' })).toBeNull();
  });

  it('says nothing when the update server cannot be reached', async () => {
    const { calls } = setup({ app_check_update: UPDATE_UNREACHABLE });
    await waitFor(() => expect(calls.count('app_check_update')).toBe(1));
    expect(okOf('app_check_update', UPDATE_UNREACHABLE).status).toBe('failed');
    expect(screen.queryByRole('region', { name: 'Postdesk update' })).toBeNull();
    expect(screen.queryByText(/could not check for updates/)).toBeNull();
  });

  it('shows a newer version in a banner, its notes in place', async () => {
    const { user } = setup({ app_check_update: UPDATE });
    const offer = offered();
    const region = await banner();
    expect(within(region).getByRole('status')).toHaveTextContent(`Postdesk ${offer.version} is available`);
    const whatsNew = within(region).getByRole('button', { name: "What's new" });
    await user.click(whatsNew);
    expect(whatsNew).toHaveAttribute('aria-expanded', 'true');
    const notes = within(region).getByRole('region', { name: `What's new in Postdesk ${offer.version}` });
    expect(notes).toHaveFocus();
    expect(notes).toHaveTextContent(`Released ${offer.date!}`);
    expect(notes.querySelector('.text')!.textContent).toBe(offer.notes);
    await user.keyboard('{Escape}');
    expect(within(region).queryByRole('region')).toBeNull();
    await waitFor(() => expect(whatsNew).toHaveFocus());
    await user.click(within(region).getByRole('button', { name: 'Not now' }));
    expect(screen.queryByRole('region', { name: 'Postdesk update' })).toBeNull();
  });
});

describe('installing an update', () => {
  it('downloads with a progress bar, then offers to restart now or later', async () => {
    const { user, calls, hold, emit } = setup({ app_check_update: UPDATE, app_install_update: UPDATE });
    const offer = offered();
    const region = await banner();
    const held = hold('app_install_update');
    await user.click(within(region).getByRole('button', { name: 'Download and install' }));
    expect(within(region).getByRole('status')).toHaveTextContent(`Downloading Postdesk ${offer.version}…`);
    const start = emit('update-progress', { scenario: UPDATE, n: 0 });
    expect(start.stage).toBe('downloading');
    const halfway = emit('update-progress', { scenario: UPDATE, n: 1 });
    const bar = () => within(region).getByRole('progressbar', { name: 'Update download' });
    await waitFor(() => expect(bar()).toHaveAttribute('value', String(halfway.downloaded)));
    expect(bar()).toHaveAttribute('max', String(halfway.total));
    expect(within(region).getByRole('status')).toHaveTextContent(
      `Downloading Postdesk ${offer.version}: ${Math.floor((halfway.downloaded / halfway.total!) * 10) * 10}%`,
    );
    expect(within(region).getByTestId('update-bytes')).toHaveTextContent(`${fmtBytes(halfway.downloaded)} of ${fmtBytes(halfway.total!)}`);
    emit('update-progress', { scenario: UPDATE, n: 2 });
    await waitFor(() => expect(within(region).getByRole('status')).toHaveTextContent(`Installing Postdesk ${offer.version}…`));
    held.release();
    const installed = okOf('app_install_update', UPDATE);
    await waitFor(() =>
      expect(within(region).getByRole('status')).toHaveTextContent(`Postdesk ${installed.version} is installed. It runs after a restart.`),
    );
    expect(within(region).queryByRole('progressbar')).toBeNull();
    await user.click(within(region).getByRole('button', { name: 'Restart now' }));
    expect(calls.count('app_restart')).toBe(1);
    await user.click(within(region).getByRole('button', { name: 'Later' }));
    expect(screen.queryByRole('region', { name: 'Postdesk update' })).toBeNull();
    expect(events('update-progress', UPDATE).map((e) => e.payload.stage)).toEqual(['downloading', 'downloading', 'installing', 'installed']);
  });

  it('says in one sentence that a download whose signature does not match was not installed', async () => {
    const { user } = setup({ app_check_update: UPDATE_BAD_SIGNATURE, app_install_update: UPDATE_BAD_SIGNATURE });
    const region = await banner();
    await user.click(within(region).getByRole('button', { name: 'Download and install' }));
    const alert = await within(region).findByRole('alert');
    expect(alert).toHaveTextContent(errOf('app_install_update', UPDATE_BAD_SIGNATURE).message);
    expect(alert).toHaveTextContent("The update's signature does not match Postdesk's key: it was not installed.");
    // The app goes on: the offer stays, it can be tried again or put aside.
    expect(within(region).getByRole('button', { name: 'Download and install' })).toBeEnabled();
  });
});

describe('About Postdesk', () => {
  async function openAbout(overrides: FakeOptions['overrides'] = {}) {
    const fake = setup({ app_info: APP, ...overrides });
    const button = await screen.findByRole('button', { name: 'About' });
    await fake.user.click(button);
    const dialog = await screen.findByRole('dialog', { name: 'About Postdesk' });
    await within(dialog).findByTestId('about-version');
    return { ...fake, button, dialog };
  }

  it('opens from the footer as a modal that keeps the focus, and Escape gives it back', async () => {
    const { user, button, dialog } = await openAbout();
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    expect(within(dialog).getByRole('button', { name: 'Check for updates' })).toHaveFocus();
    await user.tab();
    expect(within(dialog).getByRole('button', { name: 'Close' })).toHaveFocus();
    await user.tab();
    expect(within(dialog).getByRole('button', { name: 'Check for updates' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    await waitFor(() => expect(button).toHaveFocus());
  });

  it('shows the version, licence, data folder, keychain and built-in sandbox from app_info', async () => {
    const { dialog } = await openAbout();
    const info = okOf('app_info', APP);
    expect(within(dialog).getByTestId('about-version')).toHaveTextContent(`${info.name} ${info.version}`);
    expect(within(dialog).getByTestId('about-license')).toHaveTextContent('MIT');
    expect(within(dialog).getByTestId('about-data-dir')).toHaveTextContent(info.dataDir);
    expect(within(dialog).getByTestId('about-keychain')).toHaveTextContent(info.keychain.backend);
    expect(within(dialog).getByTestId('about-sandbox')).toHaveTextContent(info.sandbox.url!);
  });

  it('checks for updates on request and says what Rust answered', async () => {
    const { user, dialog, calls } = await openAbout({ app_check_update: UP_TO_DATE });
    await user.click(within(dialog).getByRole('button', { name: 'Check for updates' }));
    const answer = within(dialog).getByTestId('update-answer');
    await waitFor(() => expect(answer).toHaveTextContent(`Postdesk ${okOf('app_info', APP).version} is up to date.`));
    expect(answer).toHaveAttribute('role', 'status');
    expect(calls.of('app_check_update')).toContainEqual({ manual: true });
  });

  it('says why a check could not be made, in Rust’s sentence', async () => {
    for (const scenario of [UPDATE_UNREACHABLE, UPDATE_INSECURE]) {
      const { user, dialog, rendered } = await openAbout({ app_check_update: scenario });
      await user.click(within(dialog).getByRole('button', { name: 'Check for updates' }));
      const failed = okOf('app_check_update', scenario);
      if (failed.status !== 'failed') throw new Error(`${scenario}: not a failure`);
      await waitFor(() => expect(within(dialog).getByTestId('update-answer')).toHaveTextContent(failed.message));
      rendered.unmount();
    }
  });

  it('a check that finds a newer version brings up the banner', async () => {
    const { user, dialog, calls } = await openAbout({ app_check_update: [UP_TO_DATE, UPDATE_BAD_SIGNATURE] });
    // The automatic check (once the first screen is painted) found nothing; then the user asks.
    await waitFor(() => expect(calls.count('app_check_update')).toBe(1));
    await user.click(within(dialog).getByRole('button', { name: 'Check for updates' }));
    const offer = okOf('app_check_update', UPDATE_BAD_SIGNATURE);
    if (offer.status !== 'available') throw new Error('no offer recorded');
    await waitFor(() => expect(within(dialog).getByTestId('update-answer')).toHaveTextContent(`Postdesk ${offer.update.version} is available`));
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(within(await banner()).getByRole('status')).toHaveTextContent(`Postdesk ${offer.update.version} is available`);
  });
});
