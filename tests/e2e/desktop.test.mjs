// E2E: desktop manners (issue 14). The window's size and position survive a restart
// (tauri-plugin-window-state), and a second launch of the app does not start a second app: it
// hands over to the running one, which shows and focuses its window, and exits. The About
// dialog names the version, licence, data folder and keychain, and "Check for updates" against an
// update server that is down (run.sh points the debug build at a closed loopback port) says so
// and leaves the app working. Import reads the file picked in the open dialog and export writes
// the file chosen in the save dialog (run.sh stands in for both dialogs in the debug build).
import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { instances, openApp, secondLaunch } from './support.mjs';

/** The window's outer size and position as the page sees them. */
const rectOf = (browser) =>
  browser.execute(() => ({ width: window.outerWidth, height: window.outerHeight, x: window.screenX, y: window.screenY }));

describe('desktop manners', () => {
  it('shows its window, made hidden, once the page has begun to load', async () => {
    // Hidden until then (src-tauri/lib.rs), and shown 3 s after it was made should the load not
    // begin. A hidden page gets no animation frames, so the first answer's mark (set two frames
    // after it is in the DOM) comes well before those 3 s only if the load showed the window.
    const browser = await openApp();
    try {
      let markAt = null;
      await browser.waitUntil(
        async () => {
          markAt = await browser.execute(() =>
            document.visibilityState === 'visible' ? (performance.getEntriesByName('postdesk:first-answer-painted')[0]?.startTime ?? null) : null,
          );
          return markAt !== null;
        },
        { timeout: 10_000, timeoutMsg: 'the window is not shown, or its first answer was not painted' },
      );
      assert.ok(markAt < 2_500, `the first answer was painted ${Math.round(markAt)} ms after the page began: the window was shown late`);
    } finally {
      await browser.deleteSession();
    }
  });

  it('remembers the window size and position across a restart', async () => {
    let browser = await openApp();
    const wanted = { width: 1010, height: 690, x: 40, y: 30 };
    try {
      await browser.setWindowRect(wanted.x, wanted.y, wanted.width, wanted.height);
      await browser.waitUntil(async () => (await rectOf(browser)).width === wanted.width, {
        timeout: 5_000,
        timeoutMsg: `the window did not take the new size: ${JSON.stringify(await rectOf(browser))}`,
      });
      // Still for a moment: the app writes the window's state once it stops moving.
      await new Promise((r) => setTimeout(r, 1_000));
    } finally {
      await browser.deleteSession();
    }
    browser = await openApp();
    try {
      const got = await rectOf(browser);
      assert.equal(got.width, wanted.width, JSON.stringify(got));
      assert.equal(got.height, wanted.height, JSON.stringify(got));
      assert.equal(got.x, wanted.x, JSON.stringify(got));
      assert.equal(got.y, wanted.y, JSON.stringify(got));
    } finally {
      // The next files start at the configured size again.
      await browser.setWindowRect(null, null, 1200, 780).catch(() => {});
      await browser.deleteSession();
    }
  });

  it('a second launch focuses the running window and exits', async () => {
    const browser = await openApp();
    try {
      assert.equal(await instances(), 1);
      const second = await secondLaunch();
      assert.equal(second.signal, null, second.out);
      assert.equal(second.code, 0, second.out);
      // Still one app, the first, and its window has the focus and is shown.
      assert.equal(await instances(), 1);
      await browser.waitUntil(() => browser.execute(() => document.hasFocus() && document.visibilityState === 'visible'), {
        timeout: 5_000,
        timeoutMsg: 'the first window is not focused after the second launch',
      });
      // It still answers.
      assert.match(await browser.$('[data-testid="app-version"]').getText(), /\d+\.\d+\.\d+/);
    } finally {
      await browser.deleteSession();
    }
  });

  it('About names the version, licence, data folder and keychain; a check against a server that is down says so', async () => {
    const browser = await openApp();
    const text = (sel) => browser.execute((q) => document.querySelector(q)?.textContent?.trim() ?? null, sel);
    try {
      await browser.$('[data-testid="open-about"]').click();
      await browser.$('[data-testid="about"]').waitForDisplayed({ timeout: 5_000 });
      assert.equal(await text('[data-testid="about-version"]'), `Postdesk ${process.env.POSTDESK_E2E_VERSION}`);
      assert.equal(await text('[data-testid="about-license"]'), 'MIT');
      assert.match(await text('[data-testid="about-data-dir"]'), /postdesk/i);
      assert.match(await text('[data-testid="about-keychain"]'), /Secret Service/);
      await browser.$('[data-testid="check-updates"]').click();
      await browser.waitUntil(async () => /could not|not reach|unreachable|failed/i.test((await text('[data-testid="update-answer"]')) ?? ''), {
        timeout: 30_000,
        timeoutMsg: `no failure shown: ${await text('[data-testid="update-answer"]')}`,
      });
      await browser.$('[data-testid="close-about"]').click();
      // Still working: a view opens.
      await browser.$('nav[aria-label="Views"] button[aria-label="Usage"]').click();
      await browser.waitUntil(async () => (await text('main h1, main h2')) === 'Usage', { timeout: 10_000, timeoutMsg: 'Usage did not open' });
    } finally {
      await browser.deleteSession();
    }
  });

  it('imports the file picked in the open dialog and exports to the file chosen in the save dialog', async () => {
    // run.sh names the file the debug build's "dialogs" pick (POSTDESK_TEST_OPEN_FILE) and the
    // folder they save into (POSTDESK_TEST_SAVE_DIR).
    const name = `Picked ${Date.now()}`;
    const doc = {
      info: { name, schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
      item: [{ name: 'Ping', request: { method: 'GET', url: 'https://example.com/ping' } }],
    };
    await writeFile(process.env.POSTDESK_TEST_OPEN_FILE, JSON.stringify(doc));
    const browser = await openApp();
    const text = (sel) => browser.execute((q) => document.querySelector(q)?.textContent?.trim() ?? null, sel);
    try {
      await browser.$('nav[aria-label="Views"] button[aria-label="Collections"]').click();
      await browser.$('[data-testid="import-open"]').click();
      await browser.$('[data-testid="import-file"]').click();
      await browser.waitUntil(async () => (await text('[data-testid="status"]')) === `Created "${name}".`, {
        timeout: 15_000,
        timeoutMsg: `the picked file was not imported: ${await text('[data-testid="status"]')} / ${await text('[data-testid="create-error"]')}`,
      });
      await browser.$('[data-testid="export"]').click();
      const saved = path.join(process.env.POSTDESK_TEST_SAVE_DIR, `${name}.postman_collection.json`);
      await browser.waitUntil(async () => (await text('[data-testid="status"]')) === `Exported to ${saved}`, {
        timeout: 15_000,
        timeoutMsg: `not exported: ${await text('[data-testid="status"]')}`,
      });
      const exported = JSON.parse(await readFile(saved, 'utf8'));
      assert.equal(exported.info.name, name);
      assert.equal(exported.item[0].name, 'Ping');
      assert.equal((await stat(saved)).mode & 0o777, 0o600);
    } finally {
      await browser.deleteSession();
    }
  });
});
