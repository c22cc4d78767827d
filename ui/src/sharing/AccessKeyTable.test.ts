import { beforeAll, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import AccessKeyTable from './AccessKeyTable.svelte';
import type { AccessKeyRow } from '../bindings/AccessKeyRow';
import { fakeLayout } from '../collections/test-layout';

const key = (i: number): AccessKeyRow => ({
  id: `key-${String(i).padStart(5, '0')}`,
  collectionUid: `12345-${i}`,
  collectionName: `Collection ${i}`,
  masked: `PMAT-…${String(i).padStart(4, '0')}`,
  createdBy: '12345',
  createdAt: '2026-11-01T10:00:00Z',
  expiresAt: null,
  daysLeft: null,
  lastUsedAt: null,
  status: 'active',
  kept: false,
});
const rows = (n: number) => Array.from({ length: n }, (_, i) => key(i));
const drawnIds = () => screen.queryAllByTestId('access-key-row').map((r) => r.getAttribute('data-key-id'));

describe('AccessKeyTable', () => {
  beforeAll(fakeLayout);

  it('draws every row of a short table', () => {
    render(AccessKeyTable, { rows: rows(50), label: 'Keys', onrevoke: vi.fn() });
    expect(drawnIds()).toHaveLength(50);
    expect(screen.getByRole('table', { name: 'Keys' })).toHaveAttribute('aria-rowcount', '51');
  });

  it('past 200 rows draws only the window, says how many rows there are, and sorts all of them', async () => {
    const onselect = vi.fn();
    const onnearend = vi.fn();
    render(AccessKeyTable, { rows: rows(10_000), label: 'Keys', onrevoke: vi.fn(), onselect, onnearend });
    const drawn = drawnIds();
    expect(drawn.length).toBeGreaterThan(5);
    expect(drawn.length).toBeLessThan(100);
    expect(drawn[0]).toBe('key-00000');
    const table = screen.getByRole('table', { name: 'Keys' });
    expect(table).toHaveAttribute('aria-rowcount', '10001');
    expect(screen.getAllByTestId('access-key-row')[0]).toHaveAttribute('aria-rowindex', '2');
    // The window is at the top: nothing more is asked for.
    expect(onnearend).not.toHaveBeenCalled();
    // "Select every listed key" covers the rows not drawn too.
    const user = userEvent.setup();
    await user.click(screen.getByRole('checkbox', { name: 'Select every listed key' }));
    expect(onselect).toHaveBeenCalledWith(rows(10_000).map((r) => r.id), true);
    // Sorting orders every row, not the window: descending by token puts the last key first.
    await user.click(screen.getByTestId('sort-masked'));
    await user.click(screen.getByTestId('sort-masked'));
    await waitFor(() => expect(drawnIds()[0]).toBe('key-09999'));
    expect(drawnIds().length).toBeLessThan(100);
  });

  it('asks for more once the window reaches the end of the rows loaded', async () => {
    const onnearend = vi.fn();
    render(AccessKeyTable, { rows: rows(210), label: 'Keys', onrevoke: vi.fn(), onnearend });
    const scroller = screen.getByTestId('access-keys-scroller');
    scroller.scrollTop = 10_000_000; // jsdom neither lays out nor clamps: past any end
    scroller.dispatchEvent(new Event('scroll'));
    await waitFor(() => expect(onnearend).toHaveBeenCalled());
    expect(drawnIds()).toContain('key-00209');
  });
});
