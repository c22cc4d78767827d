import { describe, expect, it } from 'vitest';
import { monthView, rateView } from './meters';
import { NO_METERS as noMeters } from '../services/events.svelte';

/** How long ago the snapshot arrived. */
const NOW = 0;

describe('rate limit meter', () => {
  it('says nothing is known before the first call', () => {
    expect(rateView(noMeters, NOW)).toMatchObject({ state: 'idle', text: 'No calls yet' });
  });

  it('shows what is left and when the window resets', () => {
    const v = rateView({ ...noMeters, rateLimit: 300, rateRemaining: 287, rateResetInMs: 41_200 }, NOW);
    expect(v).toMatchObject({ state: 'ok', text: '287 of 300 left', detail: 'resets in 42 s' });
    expect(v.left).toBeCloseTo(287 / 300);
    expect(rateView({ ...noMeters, rateLimit: 300, rateRemaining: 20 }, NOW).state).toBe('low');
  });

  it('shows the waiting state instead of an error when the limit is reached', () => {
    const waiting = { ...noMeters, rateLimit: 2, rateRemaining: 0, waitingMs: 3_500, queued: 3 };
    const v = rateView(waiting, NOW);
    expect(v).toMatchObject({ state: 'waiting', text: 'Waiting 4 s for the rate limit' });
    expect(v.detail).toContain('3 calls queued');
    // The countdown runs on between two snapshots.
    expect(rateView(waiting, 1_000).text).toBe('Waiting 3 s for the rate limit');
    // Once the wait is over the meter shows the window again.
    expect(rateView({ ...waiting, rateRemaining: 2 }, 3_500).state).toBe('ok');
  });

  it('says when the monthly quota blocks every call', () => {
    expect(rateView({ ...noMeters, quotaBlocked: true }, NOW).state).toBe('blocked');
  });
});

describe('monthly usage meter', () => {
  it('is unknown until an answer carried the monthly headers', () => {
    expect(monthView(noMeters)).toMatchObject({ state: 'unknown', text: 'Not measured yet' });
  });

  it('shows used of limit with a percentage and warns at 80 and 95 %', () => {
    const m = (remaining: number) => monthView({ ...noMeters, monthLimit: 10_000, monthRemaining: remaining });
    expect(m(9_000)).toMatchObject({ state: 'ok', text: '1,000 of 10,000 (10%)', used: 0.1 });
    expect(m(2_000).state).toBe('warning');
    expect(m(400).state).toBe('urgent');
    expect(m(0).state).toBe('exhausted');
  });
});
