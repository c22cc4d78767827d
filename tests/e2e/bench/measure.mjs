// What the UI benchmark (figures.bench.mjs) measures with, outside the page: processes, their
// memory, when they started, medians. Linux only (/proc), as the benchmark is.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { remote } from 'webdriverio';
import { previousExited } from '../support.mjs';

/** The median of some numbers (the mean of the middle two for an even count). */
export function median(values) {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** The newest process running this binary (by path), or null. */
export function pidOf(binary) {
  try {
    const out = execFileSync('pgrep', ['-n', '-f', '-x', binary], { timeout: 5_000 }).toString().trim();
    return out ? Number(out) : null;
  } catch {
    return null;
  }
}

/** `pid` and every process below it (WebKit's web and network processes). */
export function tree(pid) {
  const all = [pid];
  for (let i = 0; i < all.length; i++) {
    try {
      const kids = execFileSync('pgrep', ['-P', String(all[i])], { timeout: 5_000 }).toString().trim().split('\n').filter(Boolean);
      all.push(...kids.map(Number));
    } catch {
      // no children
    }
  }
  return all;
}

function statusKb(pid, field) {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

const comm = (pid) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim();

/** Resident memory (VmRSS, MiB) of the app process and of its WebKit web process. */
export function rss(pid) {
  const web = tree(pid).find((p) => p !== pid && comm(p).includes('WebKitWebProces'));
  return { app: statusKb(pid, 'VmRSS') / 1024, web: web ? statusKb(web, 'VmRSS') / 1024 : NaN };
}

/** Proportional set size (MiB) of the whole process tree: shared pages counted once in all. */
export function pssTree(pid) {
  let kb = 0;
  for (const p of tree(pid)) {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'));
    if (m) kb += Number(m[1]);
  }
  return kb / 1024;
}

/** When `pid` started, in epoch milliseconds (10 ms resolution: the kernel counts in ticks). */
export function startedAt(pid) {
  const ticks = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[19]);
  const hz = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());
  const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  return Date.now() - (uptime - ticks / hz) * 1000;
}

/**
 * Starts `binary` through tauri-driver and waits (≤ 30 s) for the User Timing mark `mark` in its
 * page. Returns the session, the app's pid and the start-up: process start → the mark.
 */
export async function launch(binary, mark) {
  await previousExited(binary);
  const browser = await remote({
    hostname: '127.0.0.1',
    port: Number(process.env.POSTDESK_E2E_DRIVER_PORT),
    logLevel: 'warn',
    connectionRetryTimeout: 120_000,
    connectionRetryCount: 0,
    capabilities: { 'wdio:enforceWebDriverClassic': true, 'tauri:options': { application: binary } },
  });
  const pid = pidOf(binary);
  if (pid === null) throw new Error(`${binary} is not running`);
  const started = startedAt(pid);
  let at = null;
  for (let waited = 0; at === null; waited += 50) {
    if (waited > 30_000) throw new Error(`${binary}: no "${mark}" mark within 30 s`);
    at = await browser.execute((name) => {
      const m = performance.getEntriesByName(name)[0];
      const nav = performance.getEntriesByType('navigation')[0];
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return m ? { origin: performance.timeOrigin, mark: m.startTime, dcl: nav?.domContentLoadedEventEnd ?? null, fcp: fcp?.startTime ?? null } : null;
    }, mark);
    if (at === null) await new Promise((r) => setTimeout(r, 50));
  }
  // Where the time went: process start → the page's navigation began (the app's own start-up
  // and the web process's), → its DOMContentLoaded (the page's code loaded), → its first
  // contentful paint, → the mark (all but the first from the navigation's start).
  const phases = { toPage: at.origin - started, toLoaded: at.dcl, toPaint: at.fcp, toMark: at.mark };
  return { browser, pid, startupMs: at.origin + at.mark - started, phases };
}

/**
 * How long the newest `count` runs of `command` took in Rust, in ms (oldest first), from the
 * app's start-up trace (POSTDESK_TRACE_STARTUP, set by scripts/bench-ui.sh) in the driver's log;
 * [] when the trace is off.
 */
export function rustRan(command, count) {
  let log = '';
  try {
    log = readFileSync(`${process.env.POSTDESK_E2E_WORK}/tauri-driver.log`, 'utf8');
  } catch {
    return [];
  }
  const ran = [...log.matchAll(new RegExp(`postdesk-trace\\s+[\\d.]+ ms ${command} asked at [\\d.]+, waited [\\d.]+ for the core, ran ([\\d.]+)`, 'g'))];
  return ran.slice(-count).map((m) => Number(m[1]));
}
