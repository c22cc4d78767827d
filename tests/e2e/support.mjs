// Shared E2E plumbing: one WebDriver session against the real Postdesk binary, driven through
// tauri-driver (which starts WebKitWebDriver). run.sh provides Xvfb, D-Bus, a private HOME and
// the driver; every wait here is bounded so a hung app fails the run instead of hanging CI.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before } from 'node:test';
import { remote } from 'webdriverio';

export const SCREENSHOT_DIR = process.env.POSTDESK_E2E_SCREENSHOTS ?? path.resolve('target/e2e/screenshots');
const WAIT_MS = 10_000;

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the E2E suite through tests/e2e/run.sh`);
  return value;
}

/** Starts the app through tauri-driver; `dark` uses the driver whose desktop theme is dark. */
export async function openApp({ dark = false } = {}) {
  await previousExited();
  const browser = await remote({
    hostname: '127.0.0.1',
    port: Number(required(dark ? 'POSTDESK_E2E_DARK_DRIVER_PORT' : 'POSTDESK_E2E_DRIVER_PORT')),
    logLevel: 'warn',
    connectionRetryTimeout: 15_000,
    connectionRetryCount: 0,
    waitforTimeout: WAIT_MS,
    capabilities: {
      // WebKitWebDriver speaks classic WebDriver only (no BiDi).
      'wdio:enforceWebDriverClassic': true,
      'tauri:options': { application: required('POSTDESK_E2E_APP') },
    },
  });
  // The shell is ready once the typed IPC call has answered and the footer shows the version.
  await browser.$('[data-testid="app-version"]').waitForDisplayed({ timeout: WAIT_MS });
  return browser;
}

/**
 * One app and its built-in sandbox for the tests of a `describe` block: started before them,
 * closed after them. `app.browser` and `app.sb` are set once it started; `app.start()` starts
 * it again (after the app was killed: the sandbox listens on a new port then).
 */
export function appWithSandbox() {
  const app = {
    browser: undefined,
    sb: undefined,
    async start() {
      app.browser = await openApp();
      app.sb = await sandboxOf(app.browser);
    },
  };
  before(() => app.start());
  after(async () => {
    await app.browser?.deleteSession().catch(() => {});
  });
  return app;
}

/** Waits two animation frames so a screenshot shows the frame after the last DOM change. */
export async function settle(browser) {
  await browser.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
}

export async function screenshot(browser, name) {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await settle(browser);
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await browser.saveScreenshot(file);
  return file;
}

export const SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

/** The app's built-in sandbox as the user's own tools reach it: its URL and admin token from
 * `sandbox.json` in the data folder (the footer names the folder), and a seeded user's key. */
export async function sandboxOf(browser, user = 'taylor-lee') {
  const dataDir = await browser.$('.app-footer .data-dir').getAttribute('title');
  const shown = await browser.$('[data-testid="sandbox-url"]').getAttribute('title');
  const { url, adminToken } = JSON.parse(await readFile(path.join(dataDir, 'sandbox.json'), 'utf8'));
  if (url !== shown) throw new Error(`sandbox.json names ${url}, the footer ${shown}`);
  const res = await fetch(`${url}/_sandbox/keys`, {
    headers: { 'X-Sandbox-Token': adminToken },
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`/_sandbox/keys answered ${res.status}`);
  const { keys } = await res.json();
  return { url, dataDir, adminToken, keys, key: keys[user] };
}

/** A call to the sandbox as another app holding the key would make it; `/_sandbox/` routes go
 * with the admin token instead. */
export async function api(sb, method, route, body, timeoutMs = 10_000) {
  const credential = route.startsWith('/_sandbox') ? { 'X-Sandbox-Token': sb.adminToken } : { 'X-API-Key': sb.key };
  const res = await fetch(`${sb.url}${route}`, {
    method,
    headers: { ...credential, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

/** A `/_sandbox/` call that must succeed. */
export async function admin(sb, method, route, body) {
  const r = await api(sb, method, route, body);
  if (r.status >= 300) throw new Error(`${method} ${route} answered ${r.status}: ${JSON.stringify(r.json)}`);
  return r.json;
}

/** A big collection: 10 folders × 10 subfolders × 100 requests; ~16 MB as compact JSON with
 * the default description, ~20 MB with `descriptionRepeat` 12. */
export function bigCollection(name, descriptionRepeat = 6) {
  const methods = ['GET', 'POST', 'PUT', 'DELETE'];
  const folders = [];
  for (let f = 0; f < 10; f++) {
    const subs = [];
    for (let s = 0; s < 10; s++) {
      const item = [];
      for (let r = 0; r < 100; r++) {
        item.push({
          name: `Request ${f}.${s}.${r}`,
          request: {
            method: methods[r % 4],
            header: [{ key: 'Content-Type', value: 'application/json' }, { key: 'X-Trace', value: `trace-${f}-${s}-${r}` }],
            body: { mode: 'raw', raw: '{"hello": "world"}'.repeat(40) },
            url: {
              raw: `https://api.example.test/v1/folder${f}/sub${s}/items/${r}?page=1`,
              protocol: 'https',
              host: ['api', 'example', 'test'],
              path: ['v1', `folder${f}`, `sub${s}`, 'items', String(r)],
              query: [{ key: 'page', value: '1' }],
            },
            description: 'A generated request used to measure the editor on a big collection. '.repeat(descriptionRepeat),
          },
          response: [],
        });
      }
      subs.push({ name: `Sub ${f}.${s}`, item });
    }
    folders.push({ name: `Folder ${f}`, item: subs });
  }
  return { info: { name, schema: SCHEMA }, item: folders };
}

/** The instant the app's clock was pinned at (run.sh sets it; the app is a debug build). */
export const TEST_NOW = new Date(required('POSTDESK_TEST_NOW'));

/** Moves the clock of the app's built-in sandbox forward by `ms` (instead of waiting). */
export async function advanceSandboxClock(sb, ms) {
  await admin(sb, 'POST', '/_sandbox/clock', { advanceMs: ms });
}

export const navButton = (browser, label) => browser.$(`nav[aria-label="Views"] button[aria-label="${label}"]`);
export const heading = (browser) => browser.$('main h1');

/** Opens the collection of this name from the Collections view; the list is refreshed first
 * (it is cached for 60 s, and the collection was just made through the API). */
export async function openCollection(browser, name, timeout = WAIT_MS) {
  const wait = { timeout };
  await (await navButton(browser, 'Collections')).click();
  const search = await browser.$('input[type="search"]');
  await search.waitForDisplayed(wait);
  await browser.$('[data-testid="refresh"]').click();
  await browser.$('[data-testid="list-loading"]').waitForDisplayed({ ...wait, reverse: true });
  await search.setValue(name);
  const row = await browser.$(`//*[@role="option"][contains(., ${JSON.stringify(name)})]`);
  await row.waitForDisplayed(wait);
  await row.click();
  await browser.$('[data-testid="collection-detail"]').waitForDisplayed(wait);
}

/** Sets the field labelled `label` to `value` as a paste would (date inputs, long pastes),
 * then lets Svelte see it. */
export async function paste(browser, label, value) {
  await browser.execute(
    (l, v) => {
      const el = document.querySelector(`[aria-label="${l}"]`);
      el.value = v;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    },
    label,
    value,
  );
}

/** Renames the item chosen in the open collection's tree; the rename is a draft then. */
export async function renameSelected(browser, to, timeout = WAIT_MS) {
  await browser.$('[data-testid="rename-item"]').click();
  const input = await browser.$('[data-testid="item-name"]');
  await input.waitForDisplayed({ timeout });
  await input.setValue(to);
  await browser.$('[data-testid="apply-rename"]').click();
  await browser.$('[data-testid="draft-badge"]').waitForDisplayed({ timeout });
}

/** Saves the open document and waits until its draft is gone. */
export async function save(browser, timeout = WAIT_MS) {
  await browser.$('[data-testid="save"]').click();
  await browser.$('[data-testid="draft-badge"]').waitForDisplayed({ timeout, reverse: true });
}

/** The body rows of the table with this accessible name, as arrays of trimmed cell texts. */
export async function tableRows(browser, label) {
  return browser.execute((name) => {
    const table = document.querySelector(`table[aria-label="${name}"]`);
    if (!table) return null;
    return [...table.tBodies[0].rows].map((r) => [...r.cells].map((c) => c.textContent.trim()));
  }, label);
}

/** The row of a key in the Sharing view, loading further pages until it is there. */
export async function keyRow(browser, id) {
  const row = await browser.$(`[data-testid="access-key-row"][data-key-id="${id}"]`);
  for (let i = 0; i < 30 && !(await row.isExisting()); i++) {
    const more = await browser.$('[data-testid="load-more"]');
    if ((await more.isExisting()) && (await more.isEnabled())) {
      await more.click();
      // The next page is in once the button can be pressed again (or is gone: no more pages).
      // (The button may be re-rendered between the two reads: gone counts as done.)
      await browser.waitUntil(
        async () => (await row.isExisting()) || !(await more.isExisting()) || (await more.isEnabled().catch(() => true)),
        { timeout: WAIT_MS },
      );
    } else {
      await row.waitForExist({ timeout: 500 }).catch(() => {});
    }
  }
  await row.waitForExist({ timeout: WAIT_MS });
  await row.scrollIntoView();
  return row;
}

/** Runs the app binary a second time (same HOME, D-Bus session and display); resolves with its
 * exit code, or rejects if it is still running after `ms`. */
export function secondLaunch(ms = 15_000) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.env.POSTDESK_E2E_APP, [], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the second launch was still running after ${ms} ms: ${out}`));
    }, ms);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out });
    });
  });
}

/**
 * Waits (≤ 10 s) until no process runs `binary`. One instance only: a launch while the previous
 * session's app is still exiting would hand over to it (tauri-plugin-single-instance) instead of
 * starting. An app still there after 10 s is a defect (its session closed, it should be gone):
 * its threads' stacks are written to the test report, it is killed so the next suite starts on
 * a clean desktop, and this start fails with what it was doing.
 */
export async function previousExited(binary = process.env.POSTDESK_E2E_APP) {
  for (let waited = 0; (await instances(binary)) > 0; waited += 100) {
    if (waited >= 10_000) {
      const where = lingering(binary);
      throw new Error(`${binary}: the previous instance did not exit within 10 s of its session's end; killed it. ${where}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The pids running `binary`. */
function pids(binary) {
  try {
    return execFileSync('pgrep', ['-f', '-x', binary], { timeout: 5_000 }).toString().trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * Records what a lingering app is doing (every thread's stack through gdb, or each thread's
 * kernel wait channel when gdb is missing) in target/test-report/, kills it and waits (≤ 5 s) for
 * it to be gone. Returns a line for the error: the file, and the main thread's first frames.
 */
function lingering(binary) {
  const report = process.env.POSTDESK_E2E_REPORT ?? path.resolve('target/test-report');
  const lines = [];
  for (const pid of pids(binary)) {
    let stacks;
    try {
      stacks = execFileSync('gdb', ['-p', pid, '-batch', '-nx', '-ex', 'set pagination off', '-ex', 'thread apply all bt 16'], {
        timeout: 60_000,
        stdio: ['ignore', 'pipe', 'pipe'],
      }).toString();
    } catch (e) {
      stacks = `gdb gave no stacks (${e.message.split('\n')[0]}); the threads' wait channels:\n`;
      try {
        for (const t of readdirSync(`/proc/${pid}/task`)) {
          const comm = readFileSync(`/proc/${pid}/task/${t}/comm`, 'utf8').trim();
          const wchan = readFileSync(`/proc/${pid}/task/${t}/wchan`, 'utf8').trim();
          stacks += `${t} ${comm}: ${wchan}\n`;
        }
      } catch {}
    }
    mkdirSync(report, { recursive: true });
    const file = path.join(report, `e2e-lingering-app-${pid}.txt`);
    writeFileSync(file, stacks);
    // For the error: the main thread's first frames, and each other thread's innermost frame in
    // the app's own code (where a deadlock or a long wait would show).
    const frame = (l) => l.replace(/^#\d+\s+(0x[0-9a-f]+ in )?/, '').replace(/ \(.*$/, '');
    const threads = stacks.split(/\n(?=Thread \d+ )/).filter((t) => /^Thread \d+ /.test(t));
    const main = threads.find((t) => /^Thread 1 /.test(t)) ?? stacks;
    const mainFrames = main.split('\n').filter((l) => /^#\d/.test(l)).slice(0, 8).map(frame);
    const own = threads
      .filter((t) => t !== main)
      .map((t) => {
        const name = /"([^"]*)"\)/.exec(t)?.[1] ?? '?';
        const at = t.split('\n').filter((l) => /^#\d/.test(l)).map(frame).find((f) => /postdesk|postman/.test(f));
        return at ? `${name} in ${at}` : null;
      })
      .filter(Boolean);
    lines.push(`pid ${pid}: stacks in ${file}; main thread: ${mainFrames.join(' < ') || '(no frames)'}; other threads in app code: ${own.join('; ') || 'none'}`);
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {}
  }
  for (let i = 0; i < 50 && pids(binary).length > 0; i++) execFileSync('sleep', ['0.1']);
  return lines.join('; ');
}

/** How many processes run `binary` now (by default the app under test). */
export async function instances(binary = process.env.POSTDESK_E2E_APP) {
  return pids(binary).length;
}
