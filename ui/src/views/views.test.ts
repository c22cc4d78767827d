import { beforeAll, describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import UsageView from './UsageView.svelte';
import ActivityView from './ActivityView.svelte';
import { AppError } from '../platform/ipc';
import { fakeCommands, row, usage } from '../test-fakes';

describe('Usage view', () => {
  it('shows the account, the monthly figures, the projection and the 80 % warning', async () => {
    const { commands } = fakeCommands();
    render(UsageView, { props: { commands } });
    expect(await screen.findByTestId('usage-used')).toHaveTextContent('812 of 1,000');
    expect(screen.getByRole('group', { name: 'Account' })).toHaveTextContent('Taylor Lee');
    expect(screen.getByTestId('usage-projected')).toHaveTextContent('≈ 1,083');
    expect(screen.getByRole('alert')).toHaveTextContent('More than 80 %');
    const endpoints = screen.getByRole('table', { name: "This session's calls by endpoint" });
    expect(within(endpoints).getByText('GET /me')).toBeInTheDocument();
    expect(screen.getByRole('table', { name: 'Account meters' })).toHaveTextContent('api_usage');
    expect(screen.getByRole('img', { name: 'API calls: 3 in total' })).toBeInTheDocument();
    // Opening reads the cache; only Refresh forces a call.
    expect(commands.usage).toHaveBeenCalledWith(false);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Refresh usage' }));
    expect(commands.usage).toHaveBeenLastCalledWith(true);
  });

  it('says why the figures could not be loaded', async () => {
    const { commands } = fakeCommands({
      usage: vi.fn(async () => {
        throw new AppError('api.invalidKey', 'Postman refused the API key: it is invalid or revoked.');
      }),
    });
    render(UsageView, { props: { commands } });
    expect(await screen.findByRole('alert')).toHaveTextContent('invalid or revoked');
  });

  it('does not warn below 80 %', async () => {
    const { commands } = fakeCommands({ usage: vi.fn(async () => ({ ...usage, level: 'ok', share: 0.1 })) });
    render(UsageView, { props: { commands } });
    await screen.findByTestId('usage-used');
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('Activity view', () => {
  // jsdom has no layout: give elements the size of a window so the virtualiser has rows to show.
  beforeAll(() => {
    Object.defineProperty(HTMLElement.prototype, 'offsetHeight', { configurable: true, get: () => 480 });
    Object.defineProperty(HTMLElement.prototype, 'offsetWidth', { configurable: true, get: () => 900 });
  });

  const rows = [
    row({ path: '/me' }),
    row({ method: 'DELETE', path: '/collection-access-keys/abc', status: 404 }),
    row({ path: '/collections', status: null, error: 'api.timeout' }),
  ];

  it('lists the calls and filters them by status class and method', async () => {
    const { commands } = fakeCommands({ activity: vi.fn(async () => rows) });
    const user = userEvent.setup();
    render(ActivityView, { props: { commands, callsSeen: 0 } });
    expect(await screen.findByTestId('activity-count')).toHaveTextContent('3 of 3 calls');
    expect(screen.getByText('/collection-access-keys/abc')).toBeInTheDocument();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Filter by status' }), '4xx');
    expect(screen.getByTestId('activity-count')).toHaveTextContent('1 of 3 calls');
    expect(screen.queryByText('/me')).toBeNull();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Filter by status' }), 'error');
    expect(screen.getByText('api.timeout')).toBeInTheDocument();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Filter by status' }), 'all');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Filter by method' }), 'DELETE');
    expect(screen.getByTestId('activity-count')).toHaveTextContent('1 of 3 calls');
  });

  it('renders only a window of a long log (virtualised)', async () => {
    const many = Array.from({ length: 5_000 }, (_, i) => row({ path: `/collections/${i}` }));
    const { commands } = fakeCommands({ activity: vi.fn(async () => many) });
    render(ActivityView, { props: { commands, callsSeen: 0 } });
    expect(await screen.findByTestId('activity-count')).toHaveTextContent('5,000 of 5,000 calls');
    const rendered = screen.getAllByRole('row').length;
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
  });

  it('re-reads the log when the meters move, at most once per burst of meter changes', async () => {
    vi.useFakeTimers();
    try {
      const { commands } = fakeCommands();
      const view = render(ActivityView, { props: { commands, callsSeen: 0 } });
      await vi.waitFor(() => expect(screen.getByTestId('activity-count')).toBeInTheDocument());
      expect(commands.activity).toHaveBeenCalledTimes(1);
      for (let n = 1; n <= 20; n++) await view.rerender({ commands, callsSeen: n });
      // One re-read for the whole burst, 300 ms after it started: not before.
      await vi.advanceTimersByTimeAsync(299);
      expect(commands.activity).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(commands.activity).toHaveBeenCalledTimes(2);
      await vi.advanceTimersByTimeAsync(10_000);
      expect(commands.activity).toHaveBeenCalledTimes(2);
      // The next move of the meters reads it again.
      await view.rerender({ commands, callsSeen: 21 });
      await vi.advanceTimersByTimeAsync(300);
      expect(commands.activity).toHaveBeenCalledTimes(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('exports and says where the file went', async () => {
    const { commands } = fakeCommands();
    render(ActivityView, { props: { commands, callsSeen: 0 } });
    await screen.findByTestId('activity-count');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(commands.exportActivity).toHaveBeenCalledWith('csv');
    expect(await screen.findByRole('status')).toHaveTextContent('Exported to /home/u/Downloads/postdesk-activity.csv');
  });

  it('shows names with markup as text', async () => {
    const { commands } = fakeCommands({ activity: vi.fn(async () => [row({ keyName: '<img src=x onerror=alert(1)>' })]) });
    render(ActivityView, { props: { commands, callsSeen: 0 } });
    const cell = await screen.findByRole('cell', { name: '<img src=x onerror=alert(1)>' });
    expect(cell).toBeInTheDocument();
    expect(screen.getByRole('option', { name: '<img src=x onerror=alert(1)>' })).toBeInTheDocument();
    expect(document.querySelector('img')).toBeNull();
  });
});
