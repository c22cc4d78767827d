import { beforeAll, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import UsageView from './UsageView.svelte';
import ActivityView from './ActivityView.svelte';
import ActivityLog from './ActivityLog.svelte';
import { fmtClock, fmtInt } from '../lib/format';
import type { ActivityRow } from '../bindings/ActivityRow';
import { errOf, okOf } from '../testing/recorded';
import { renderWith } from '../testing/render';
import { BUSY_MONTH, ENGINE, IMPORT, MONITORS, POSTMAN_DOWN, SHARE } from '../testing/scenarios';

describe('Usage view', () => {
  it('shows the account, the monthly figures, the projection and the calls, from the cache; Refresh forces', async () => {
    const { user, calls } = renderWith(UsageView, { scenario: ENGINE });
    const u = okOf('engine_usage', ENGINE);
    expect(await screen.findByTestId('usage-used')).toHaveTextContent(`${fmtInt(u.used!)} of ${fmtInt(u.limit!)}`);
    expect(screen.getByRole('group', { name: 'Account' })).toHaveTextContent(u.fullName!);
    expect(screen.getByTestId('usage-projected')).toHaveTextContent(`≈ ${fmtInt(u.projected!)}`);
    expect(screen.getByTestId('usage-fetched')).toHaveTextContent(`Fetched at ${fmtClock(u.source.fetchedAt, Date.now())}`);
    const endpoints = screen.getByRole('table', { name: "This session's calls by endpoint" });
    expect(within(endpoints).getByText(u.sessionByEndpoint[0]!.endpoint)).toBeInTheDocument();
    expect(screen.getByRole('table', { name: 'Account meters' })).toHaveTextContent('api_usage');
    const total = u.callsPerDay.reduce((a, d) => a + d.calls, 0);
    expect(screen.getByRole('img', { name: `API calls: ${total} in total` })).toBeInTheDocument();
    // Below 80 %: no warning.
    expect(u.level).toBe('ok');
    expect(screen.queryByRole('alert')).toBeNull();
    // Opening reads the cache; only Refresh forces a call.
    expect(calls.of('engine_usage')).toEqual([{ force: false }]);
    await user.click(screen.getByRole('button', { name: 'Refresh usage' }));
    expect(calls.of('engine_usage').at(-1)).toEqual({ force: true });
    const fresh = okOf('engine_usage', ENGINE, 2);
    expect(await screen.findByText(`${fmtInt(fresh.used!)} of ${fmtInt(fresh.limit!)}`)).toBeInTheDocument();
  });

  it("shows the monitors' meter beside the API one and what the active schedules add this month", async () => {
    const { user, calls } = renderWith(UsageView, { scenario: ENGINE, overrides: { monitors_month_estimate: MONITORS } });
    const u = okOf('engine_usage', ENGINE);
    const meter = u.operations.find((o) => o.name === 'monitor_request_runs')!;
    expect(await screen.findByTestId('monitor-runs-used')).toHaveTextContent(`${fmtInt(meter.usage)} of ${fmtInt(meter.limit)}`);
    // Reading the schedules costs calls: only when asked.
    expect(calls.of('monitors_month_estimate')).toEqual([]);
    await user.click(screen.getByTestId('monitor-estimate-run'));
    const e = okOf('monitors_month_estimate', MONITORS);
    expect(e.monitors).toBeGreaterThan(0);
    const said = await screen.findByTestId('monitor-estimate');
    expect(said).toHaveTextContent(`At these schedules: ~${fmtInt(e.runs)} more runs this month (~${fmtInt(e.requestRuns)} request runs)`);
    expect(said).toHaveTextContent(`≈ ${fmtInt(e.projected!)} in all, within your ${fmtInt(e.limit!)}.`);
    expect(said).not.toHaveClass('over');
  });

  it('says when no schedule is active (the monitor was paused)', async () => {
    const { user } = renderWith(UsageView, { scenario: ENGINE, overrides: { monitors_month_estimate: (x) => 'ok' in x && x.ok.paused > 0 } });
    await user.click(await screen.findByTestId('monitor-estimate-run'));
    expect(await screen.findByTestId('monitor-estimate')).toHaveTextContent('No active monitor schedule (1 paused).');
  });

  it('says why the figures could not be loaded', async () => {
    renderWith(UsageView, { overrides: { engine_usage: POSTMAN_DOWN } });
    expect(await screen.findByRole('alert')).toHaveTextContent(errOf('engine_usage', POSTMAN_DOWN).message);
  });

  it('warns above 80 %', async () => {
    renderWith(UsageView, { overrides: { engine_usage: BUSY_MONTH } });
    const u = okOf('engine_usage', BUSY_MONTH);
    expect(u.level).toBe('warning');
    expect(await screen.findByRole('alert')).toHaveTextContent('More than 80 %');
    expect(screen.getByTestId('usage-used')).toHaveTextContent(`${fmtInt(u.used!)} of ${fmtInt(u.limit!)}`);
  });
});

describe('Activity view', () => {
  // jsdom has no layout: give elements the size of a window so the virtualiser has rows to show.
  beforeAll(() => {
    Object.defineProperty(HTMLElement.prototype, 'offsetHeight', { configurable: true, get: () => 480 });
    Object.defineProperty(HTMLElement.prototype, 'offsetWidth', { configurable: true, get: () => 900 });
  });

  it('lists the calls Rust logged and filters them by status class, method and key', async () => {
    const { user } = renderWith(ActivityView, { scenario: ENGINE });
    const rows = okOf('engine_activity', ENGINE);
    expect(await screen.findByTestId('activity-count')).toHaveTextContent(`${rows.length} of ${rows.length} calls`);
    expect(screen.getAllByText(rows[0]!.path).length).toBe(rows.length);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Filter by status' }), '4xx');
    expect(screen.getByTestId('activity-count')).toHaveTextContent(`0 of ${rows.length} calls`);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Filter by status' }), '2xx');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Filter by method' }), rows[0]!.method);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Filter by key' }), rows[0]!.keyName);
    expect(screen.getByTestId('activity-count')).toHaveTextContent(`${rows.length} of ${rows.length} calls`);
  });

  it('re-reads the log when the meters move, at most once per burst of meter events', async () => {
    vi.useFakeTimers();
    try {
      const { calls, emit } = renderWith(ActivityView, { scenario: ENGINE });
      await vi.waitFor(() => expect(screen.getByTestId('activity-count')).toBeInTheDocument());
      expect(calls.count('engine_activity')).toBe(1);
      for (let n = 1; n <= 20; n++) emit('meters', { scenario: [ENGINE, IMPORT, SHARE][n % 3] });
      // One re-read for the whole burst, 300 ms after it started: not before.
      await vi.advanceTimersByTimeAsync(299);
      expect(calls.count('engine_activity')).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(calls.count('engine_activity')).toBe(2);
      await vi.advanceTimersByTimeAsync(10_000);
      expect(calls.count('engine_activity')).toBe(2);
      // The next move of the meters reads it again.
      emit('meters');
      await vi.advanceTimersByTimeAsync(300);
      expect(calls.count('engine_activity')).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('exports and says where Rust wrote the file', async () => {
    const { user, calls } = renderWith(ActivityView, { scenario: ENGINE });
    await screen.findByTestId('activity-count');
    await user.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(calls.of('engine_export_activity')).toEqual([{ format: 'csv' }]);
    expect(await screen.findByRole('status')).toHaveTextContent(`Exported to ${okOf('engine_export_activity', ENGINE)}`);
  });

  it('says nothing when the user cancels the save dialog (Rust answers null)', async () => {
    const { user, calls } = renderWith(ActivityView, { scenario: ENGINE });
    await screen.findByTestId('activity-count');
    await user.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Exported to');
    expect(okOf('engine_export_activity', ENGINE, 1)).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Export JSON' }));
    await waitFor(() => expect(calls.of('engine_export_activity')).toEqual([{ format: 'csv' }, { format: 'json' }]));
    await waitFor(() => expect(screen.queryByText(/Exported to/)).not.toBeInTheDocument());
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  describe('the log grid (rows as props)', () => {
    const recordedRow = (): ActivityRow => okOf('engine_activity', ENGINE)[0]!;

    it('renders only a window of a long log (virtualised)', async () => {
      const many = Array.from({ length: 5_000 }, (_, i) => ({ ...recordedRow(), path: `/collections/${i}` }));
      render(ActivityLog, { props: { rows: many, empty: true } });
      expect(await screen.findByTestId('activity-count')).toHaveTextContent('5,000 of 5,000 calls');
      const rendered = screen.getAllByRole('row').length;
      expect(rendered).toBeGreaterThan(5);
      expect(rendered).toBeLessThan(60);
    });

    it('filters by status class, and shows a call without an answer by its error', async () => {
      const rows = [recordedRow(), { ...recordedRow(), method: 'DELETE', status: 404 }, { ...recordedRow(), status: null, error: 'net.timeout' }];
      const user = userEvent.setup();
      render(ActivityLog, { props: { rows, empty: true } });
      await user.selectOptions(screen.getByRole('combobox', { name: 'Filter by status' }), '4xx');
      expect(screen.getByTestId('activity-count')).toHaveTextContent('1 of 3 calls');
      await user.selectOptions(screen.getByRole('combobox', { name: 'Filter by status' }), 'error');
      expect(screen.getByText('net.timeout')).toBeInTheDocument();
      await user.selectOptions(screen.getByRole('combobox', { name: 'Filter by status' }), 'all');
      await user.selectOptions(screen.getByRole('combobox', { name: 'Filter by method' }), 'DELETE');
      expect(screen.getByTestId('activity-count')).toHaveTextContent('1 of 3 calls');
    });

    it('shows names with markup as text', async () => {
      const hostile = '<img src=x onerror=alert(1)>';
      render(ActivityLog, { props: { rows: [{ ...recordedRow(), keyName: hostile }], empty: true } });
      expect(await screen.findByRole('cell', { name: hostile })).toBeInTheDocument();
      expect(screen.getByRole('option', { name: hostile })).toBeInTheDocument();
      expect(document.querySelector('img')).toBeNull();
    });
  });
});
