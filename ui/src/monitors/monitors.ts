// What the Monitors view says about a monitor and its runs (pure: unit-tested).

import type { HistorySummary } from '../bindings/HistorySummary';
import type { RecentRun } from '../bindings/RecentRun';
import type { RunRecord } from '../bindings/RunRecord';

/** `3 of 4 passed (75 %)`, or `No runs kept yet`. */
export function passRate(h: HistorySummary | null): string {
  if (!h || h.runs === 0) return 'No runs kept yet';
  const share = Math.round((h.passed / h.runs) * 100);
  return `${h.passed} of ${h.runs} passed (${share} %)`;
}

/** `850 ms`, `2.4 s`, or `—`. */
export function fmtLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The status as a word for people: `Passed`, `Failed`, `Running`, or the API's own. */
export function statusLabel(status: string | null): string {
  switch (status) {
    case null:
      return 'Never run';
    case 'success':
      return 'Passed';
    case 'failed':
      return 'Failed';
    case 'running':
      return 'Running';
    default:
      return status.charAt(0).toUpperCase() + status.slice(1);
  }
}

/** `pass`, `fail` or `other`: the class a status is drawn with (never colour alone: a word too). */
export function statusKind(status: string | null): 'pass' | 'fail' | 'other' {
  if (status === 'success') return 'pass';
  if (status === 'failed' || status === 'error' || status === 'aborted') return 'fail';
  return 'other';
}

export interface Bar {
  x: number;
  height: number;
  passed: boolean;
  title: string;
}

/**
 * The bars of a run chart `width`×`height`: one per run (oldest left), at most `maxStep` wide
 * each (a few runs do not fill the chart), as tall as its latency against the slowest shown (a
 * run without one gets a small bar), coloured by its outcome.
 */
export function bars(
  runs: readonly (Pick<RecentRun, 'passed' | 'latencyMs' | 'startedAt'>)[],
  width: number,
  height: number,
  label: (r: Pick<RecentRun, 'passed' | 'latencyMs' | 'startedAt'>) => string,
  maxStep = 16,
): Bar[] {
  if (runs.length === 0) return [];
  const slowest = Math.max(1, ...runs.map((r) => r.latencyMs ?? 0));
  const step = Math.min(maxStep, width / runs.length);
  return runs.map((r, i) => ({
    x: i * step,
    height: Math.max(2, Math.round(((r.latencyMs ?? 0) / slowest) * height)),
    passed: r.passed,
    title: label(r),
  }));
}

/** The runs as the chart takes them, oldest first. */
export function chartRuns(runs: readonly RunRecord[]): RecentRun[] {
  return [...runs].reverse().map((r) => ({ passed: r.status === 'success', latencyMs: r.latencyMs, startedAt: r.startedAt }));
}

/** Common IANA timezones for the form's suggestions (any IANA name can be typed). */
export const TIMEZONES = [
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Paris',
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Australia/Sydney',
];

/** The user's own timezone, the form's default. */
export function localTimezone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}
