// Benchmark (issue 6 figures), run by scripts/bench-ui.sh against a release build; not part of
// the test suite. Measures in the real window, against the built-in sandbox:
//   1. 10,000 collections: click "Collections" → the first rows are painted (cold: one
//      GET /collections; warm: from the cache), and the resident memory (VmRSS) of the app
//      process and its WebKit web process before and after;
//   2. an ~18 MB collection with 10,000 requests: click its row → the tree is painted.
// "Painted" = the rows are in the DOM and two animation frames have passed; the timeline line
// splits that into view mounted → rows in the DOM → first frame, and the IPC share is measured
// by invoking the same command from the page.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { SCHEMA, api, bigCollection, navButton, openApp, sandboxOf, screenshot } from '../support.mjs';

const N = 10_000;

/** A sandbox call that must succeed (2 minutes: the 18 MB upload). */
async function call(sb, method, route, body) {
  const r = await api(sb, method, route, body, 120_000);
  assert.ok(r.status < 300, `${method} ${route}: ${r.status} ${JSON.stringify(r.json).slice(0, 200)}`);
  return r.json;
}

function rssKb(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

function processes() {
  const app = execFileSync('pgrep', ['-n', '-x', 'postdesk']).toString().trim();
  const children = execFileSync('pgrep', ['-P', app]).toString().trim().split('\n');
  const web = children.find((p) => readFileSync(`/proc/${p}/comm`, 'utf8').includes('WebKitWebProces'));
  return { app, web };
}

function memory() {
  const { app, web } = processes();
  return { appMb: rssKb(app) / 1024, webMb: web ? rssKb(web) / 1024 : NaN };
}

/** Runs `action` in the page, then waits until `selector` matches and two frames have passed. */
async function timeToPaint(browser, action, selector, minText) {
  return browser.executeAsync(
    (action, selector, minText, done) => {
      const t0 = performance.now();
      const deadline = t0 + 60_000;
      const q = (s) => document.querySelector(s);
      if (action.click) q(action.click).click();
      window.__benchMarks = {};
      const tick = () => {
        const marks = window.__benchMarks;
        if (marks.mounted === undefined && q('main section[aria-label]')) marks.mounted = performance.now() - t0;
        if (marks.loading === undefined && q('[data-testid="list-loading"]')) marks.loading = performance.now() - t0;
        const el = q(selector);
        if (el && marks.rows === undefined) {
          marks.rows = performance.now() - t0;
          marks.domNodes = document.getElementsByTagName('*').length;
          marks.options = document.querySelectorAll('[role="option"], [role="treeitem"]').length;
        }
        const ok = el && (!minText || (q(minText.selector)?.textContent ?? '').includes(minText.text));
        if (ok) {
          window.__benchMarks.ready = performance.now() - t0;
          requestAnimationFrame(() => {
            window.__benchMarks.frame1 = performance.now() - t0;
            requestAnimationFrame(() => done(performance.now() - t0));
          });
        } else if (performance.now() > deadline) done(-1);
        else requestAnimationFrame(tick);
      };
      tick();
    },
    action,
    selector,
    minText ?? null,
  );
}

describe('UI figures', () => {
  it('10,000 collections and an 18 MB collection', async () => {
    const browser = await openApp();
    try {
      const sb = await sandboxOf(browser);
      await call(sb, 'POST', '/_sandbox/limits', { lifted: true });
      const ws = (await call(sb, 'GET', '/workspaces')).workspaces[0].id;
      const t = Date.now();
      let next = 0;
      const worker = async () => {
        while (next < N) {
          const i = next++;
          await call(sb, 'POST', `/collections?workspace=${ws}`, {
            collection: { info: { name: `Generated ${String(i).padStart(5, '0')}`, schema: SCHEMA }, item: [] },
          });
        }
      };
      await Promise.all(Array.from({ length: 16 }, worker));
      const big = bigCollection('Big collection (bench)');
      const bytes = JSON.stringify({ collection: big }).length;
      await call(sb, 'POST', `/collections?workspace=${ws}`, { collection: big });
      const total = (await call(sb, 'GET', '/collections')).collections.length;
      console.log(`setup: ${N} collections + one of ${(bytes / 1048576).toFixed(1)} MB in ${((Date.now() - t) / 1000).toFixed(1)} s; the list has ${total}`);

      // Let the sandbox finish writing its state file (10,000 new collections) so that its
      // disk work does not overlap the measurement.
      await new Promise((r) => setTimeout(r, 4_000));
      // A fresh data folder (run.sh gives each run its own HOME): no workspace is remembered,
      // so the list shows every collection.
      const prefs = await browser.executeAsync((done) => {
        window.__TAURI_INTERNALS__.invoke('prefs_get', {}).then(done, (e) => done({ error: String(e) }));
      });
      assert.equal(prefs.workspace, null, JSON.stringify(prefs));
      const before = memory();
      const cold = await timeToPaint(browser, { click: 'nav[aria-label="Views"] button[aria-label="Collections"]' }, '[role="listbox"] [role="option"]', {
        selector: '[data-testid="collection-count"]',
        text: total.toLocaleString('en-US'),
      });
      assert.ok(cold > 0, 'the list did not paint within 60 s');
      console.log(`  timeline (ms after the click): ${JSON.stringify(await browser.execute(() => window.__benchMarks))}`);
      await new Promise((r) => setTimeout(r, 1000));
      const after = memory();
      await screenshot(browser, 'bench-10000-collections');
      await (await navButton(browser, 'Keys')).click();
      const warm = await timeToPaint(browser, { click: 'nav[aria-label="Views"] button[aria-label="Collections"]' }, '[role="listbox"] [role="option"]', {
        selector: '[data-testid="collection-count"]',
        text: total.toLocaleString('en-US'),
      });
      console.log(`list of ${total} collections: first render ${cold.toFixed(0)} ms cold (1 GET /collections), ${warm.toFixed(0)} ms from the cache`);
      // The IPC share of that: the same command invoked directly from the page.
      const ipc = await browser.executeAsync((done) => {
        const invoke = window.__TAURI_INTERNALS__.invoke;
        const time = async (args) => {
          const t0 = performance.now();
          await invoke('library_collections', args);
          return performance.now() - t0;
        };
        (async () => done({ fresh: await time({ workspace: null, force: true }), cached: await time({ workspace: null, force: false }) }))();
      });
      console.log(`  of which IPC (library_collections invoked from the page): ${ipc.fresh.toFixed(0)} ms with the GET, ${ipc.cached.toFixed(0)} ms from the cache`);
      console.log(
        `memory (VmRSS): app ${before.appMb.toFixed(0)} → ${after.appMb.toFixed(0)} MB, web process ${before.webMb.toFixed(0)} → ${after.webMb.toFixed(0)} MB`,
      );

      // The big one: filter the list to it, then click its row and wait for the tree.
      const search = await browser.$('input[type="search"]');
      await search.setValue('Big collection (bench)');
      await browser.$('[data-testid="collection-count"]').waitUntil(async function () {
        return (await this.getText()).startsWith('1 of');
      }, { timeout: 10_000 });
      const open = await timeToPaint(browser, { click: '[role="listbox"] [role="option"]' }, '[role="tree"] [role="treeitem"]', {
        selector: '[data-testid="request-count"]',
        text: '10,000',
      });
      assert.ok(open > 0, 'the tree did not paint within 60 s');
      console.log(`  timeline (ms after the click): ${JSON.stringify(await browser.execute(() => window.__benchMarks))}`);
      console.log(`18 MB collection (10,000 requests): click → tree painted ${open.toFixed(0)} ms`);
      const reopen = await browser.executeAsync((done) => {
        const invoke = window.__TAURI_INTERNALS__.invoke;
        invoke('library_collections', { workspace: null, force: false }).then(async (rows) => {
          const uid = rows.find((r) => r.name === 'Big collection (bench)').uid;
          const t0 = performance.now();
          await invoke('library_open_collection', { uid, force: false });
          const view = performance.now() - t0;
          await invoke('library_close', { kind: 'collection', id: uid });
          const t1 = performance.now();
          await invoke('library_open_collection', { uid, force: true });
          done({ view, withGet: performance.now() - t1 });
        });
      });
      console.log(`  of which Rust + IPC (library_open_collection from the page): ${reopen.withGet.toFixed(0)} ms with the GET, ${reopen.view.toFixed(0)} ms for the view of the open document alone`);
      const m = memory();
      console.log(`memory with it open: app ${m.appMb.toFixed(0)} MB, web process ${m.webMb.toFixed(0)} MB`);
      await screenshot(browser, 'bench-big-collection');
    } finally {
      await browser.deleteSession();
    }
  });
});
