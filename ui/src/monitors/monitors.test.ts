import { describe, expect, it } from 'vitest';
import { bars, chartRuns, fmtLatency, passRate, statusKind, statusLabel } from './monitors';
import type { RunRecord } from '../bindings/RunRecord';

describe('what the Monitors view says', () => {
  it('gives the pass rate of the kept history, or that none is kept', () => {
    expect(passRate(null)).toBe('No runs kept yet');
    expect(passRate({ runs: 4, passed: 3, medianLatencyMs: 10, recent: [] })).toBe('3 of 4 passed (75 %)');
  });

  it('says times in ms below a second, in seconds above', () => {
    expect(fmtLatency(850)).toBe('850 ms');
    expect(fmtLatency(2400)).toBe('2.4 s');
    expect(fmtLatency(null)).toBe('—');
  });

  it('names every status in words, not by colour alone', () => {
    expect([null, 'success', 'failed', 'running', 'aborted'].map(statusLabel)).toEqual(['Never run', 'Passed', 'Failed', 'Running', 'Aborted']);
    expect([statusKind('success'), statusKind('failed'), statusKind(null)]).toEqual(['pass', 'fail', 'other']);
  });

  it('draws one bar per run, oldest left, as tall as its time against the slowest', () => {
    const drawn = bars(
      [
        { passed: true, latencyMs: 50, startedAt: 1 },
        { passed: false, latencyMs: 100, startedAt: 2 },
        { passed: true, latencyMs: null, startedAt: 3 },
      ],
      90,
      20,
      (r) => String(r.startedAt),
      30,
    );
    expect(drawn.map((b) => [b.x, b.height, b.passed, b.title])).toEqual([
      [0, 10, true, '1'],
      [30, 20, false, '2'],
      [60, 2, true, '3'],
    ]);
    expect(bars([], 90, 20, () => '')).toEqual([]);
    // A few runs keep their bars narrow instead of filling the chart.
    expect(bars([{ passed: true, latencyMs: 1, startedAt: 1 }, { passed: true, latencyMs: 1, startedAt: 2 }], 600, 20, () => '').map((b) => b.x)).toEqual([0, 16]);
  });

  it('lets consecutive runs share a bar once there are more than the chart has room for', () => {
    const runs = Array.from({ length: 10_000 }, (_, i) => ({ passed: i !== 4_321, latencyMs: i === 9_999 ? 500 : 100, startedAt: i }));
    const drawn = bars(runs, 600, 60, (r) => String(r.startedAt));
    expect(drawn).toHaveLength(295); // 34 runs a bar (600 px at 2 px is 300 slots): 294 × 34, then 4
    expect(drawn.filter((b) => !b.passed)).toHaveLength(1);
    expect(drawn.find((b) => !b.passed)!.title).toBe('34 runs, 1 failed: 4318 … 4351');
    expect(drawn.at(-1)!.height).toBe(60);
    expect(drawn[0]!.height).toBe(12);
    expect(drawn.at(-1)!.title).toBe('4 runs, 0 failed: 9996 … 9999');
  });

  it('puts the newest-first history oldest first for the chart', () => {
    const run = (jobId: string, startedAt: number, status: string): RunRecord => ({
      monitorId: 'm', jobId, startedAt, finishedAt: null, status, trigger: null, assertionsTotal: 0, assertionsFailed: 0,
      requestsTotal: 0, requestsFailed: 0, errors: 0, latencyMs: 5, sizeBytes: null, hasDetails: false,
    });
    expect(chartRuns([run('b', 2, 'failed'), run('a', 1, 'success')])).toEqual([
      { passed: true, latencyMs: 5, startedAt: 1 },
      { passed: false, latencyMs: 5, startedAt: 2 },
    ]);
  });
});
