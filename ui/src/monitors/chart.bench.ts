// Benchmark (issue 17): the history chart of a monitor with 100, 1,000 and 10,000 kept runs —
// the bars computed from the runs as Rust answers them (newest first), and the SVG rendered by
// Svelte into a DOM (jsdom here: the DOM work, not WebKit's paint). Run: `npm run bench`.
import { bench, describe } from 'vitest';
import { cleanup, render } from '@testing-library/svelte';
import RunChart from './RunChart.svelte';
import { bars, chartRuns } from './monitors';
import type { RunRecord } from '../bindings/RunRecord';

function history(n: number): RunRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    monitorId: 'm1',
    jobId: `job-${i}`,
    startedAt: 1_795_000_000_000 - i * 3_600_000,
    finishedAt: null,
    status: i % 7 === 0 ? 'failed' : 'success',
    trigger: 'scheduled',
    assertionsTotal: 5,
    assertionsFailed: i % 7 === 0 ? 1 : 0,
    requestsTotal: 3,
    requestsFailed: 0,
    errors: 0,
    latencyMs: 200 + (i % 500),
    sizeBytes: 2048,
    hasDetails: i < 1_000,
  }));
}

for (const n of [100, 1_000, 10_000]) {
  const runs = history(n);
  describe(`${n.toLocaleString('en')} runs`, () => {
    bench('bars', () => {
      bars(chartRuns(runs), 600, 60, (r) => String(r.startedAt));
    });
    bench('render the chart', () => {
      render(RunChart, { props: { runs: chartRuns(runs), width: 600, height: 60, label: 'Runs' } });
      cleanup();
    });
  });
}
