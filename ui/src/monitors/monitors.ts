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
 * run without one gets a small bar), coloured by its outcome. More runs than the chart has room
 * for at `minStep` each share bars: consecutive runs, the bar as tall as the slowest of them and
 * failed when one of them failed; its title says how many runs it stands for.
 */
export function bars(
  runs: readonly (Pick<RecentRun, 'passed' | 'latencyMs' | 'startedAt'>)[],
  width: number,
  height: number,
  label: (r: Pick<RecentRun, 'passed' | 'latencyMs' | 'startedAt'>) => string,
  maxStep = 16,
  minStep = 2,
): Bar[] {
  if (runs.length === 0) return [];
  let slowest = 1;
  for (const r of runs) slowest = Math.max(slowest, r.latencyMs ?? 0);
  const per = Math.ceil(runs.length / Math.max(1, Math.floor(width / minStep)));
  const count = Math.ceil(runs.length / per);
  const step = Math.min(maxStep, width / count);
  const out: Bar[] = [];
  for (let i = 0; i < count; i++) {
    const from = i * per;
    const to = Math.min(runs.length, from + per);
    let worst = 0;
    let failed = 0;
    for (let j = from; j < to; j++) {
      worst = Math.max(worst, runs[j]!.latencyMs ?? 0);
      if (!runs[j]!.passed) failed += 1;
    }
    const title = to - from === 1 ? label(runs[from]!) : `${to - from} runs, ${failed} failed: ${label(runs[from]!)} … ${label(runs[to - 1]!)}`;
    out.push({ x: i * step, height: Math.max(2, Math.round((worst / slowest) * height)), passed: failed === 0, title });
  }
  return out;
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
