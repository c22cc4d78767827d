// What the header meters say, derived from the engine's Meters snapshot (pure, unit-tested).
import type { Meters } from '../bindings/Meters';
import { fmtInt, fmtPercent } from './format';

export interface RateView {
  state: 'idle' | 'ok' | 'low' | 'waiting' | 'blocked';
  text: string;
  detail: string;
  /** Share of the window's allowance left, 0..1. */
  left: number;
}

export interface MonthView {
  state: 'unknown' | 'ok' | 'warning' | 'urgent' | 'exhausted';
  text: string;
  /** Share of the monthly allowance used, 0..1. */
  used: number;
}

/** Whole seconds left of a countdown of `ms` that started `elapsed` ms ago (null: none left). */
function secondsLeft(ms: number | null, elapsed: number): number | null {
  if (ms === null || ms - elapsed <= 0) return null;
  return Math.ceil((ms - elapsed) / 1000);
}

/** The rate meter, `elapsed` ms after the snapshot `m` was taken (its countdowns run on). */
export function rateView(m: Meters, elapsed: number): RateView {
  if (m.quotaBlocked) {
    return { state: 'blocked', text: 'Monthly quota used up', detail: 'No calls until it resets', left: 0 };
  }
  const waiting = secondsLeft(m.waitingMs, elapsed);
  if (waiting !== null) {
    const s = waiting;
    const queued = m.queued > 1 ? ` · ${m.queued} calls queued` : '';
    return { state: 'waiting', text: `Waiting ${s} s for the rate limit`, detail: `Nothing is refused${queued}`, left: 0 };
  }
  if (m.rateLimit === 0) return { state: 'idle', text: 'No calls yet', detail: '', left: 1 };
  const left = m.rateRemaining / m.rateLimit;
  const resetIn = secondsLeft(m.rateResetInMs, elapsed);
  const reset = resetIn !== null ? `resets in ${resetIn} s` : 'window open';
  return {
    state: left <= 0.1 ? 'low' : 'ok',
    text: `${fmtInt(m.rateRemaining)} of ${fmtInt(m.rateLimit)} left`,
    detail: reset,
    left,
  };
}

export function monthView(m: Meters): MonthView {
  if (m.monthLimit === null || m.monthRemaining === null || m.monthLimit <= 0) {
    return { state: 'unknown', text: 'Not measured yet', used: 0 };
  }
  const used = Math.max(0, m.monthLimit - m.monthRemaining);
  const share = used / m.monthLimit;
  const state = m.quotaBlocked || share >= 1 ? 'exhausted' : share >= 0.95 ? 'urgent' : share >= 0.8 ? 'warning' : 'ok';
  return { state, text: `${fmtInt(used)} of ${fmtInt(m.monthLimit)} (${fmtPercent(share)})`, used: Math.min(1, share) };
}
