// Smoke journey on the packaged app (scripts/test.sh unpacks the release .deb and points
// POSTDESK_E2E_APP at its /usr/bin/postdesk): the first screen with the package's version, the
// built-in sandbox answering as Postman does, one view per sidebar item, the activity log in the
// history database (the release build's SQLite), and a second launch of
// the packaged binary handing over to the running window and exiting.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { heading, instances, openApp, sandboxOf, screenshot, secondLaunch } from '../support.mjs';

describe('the packaged app', () => {
  it('starts, its sandbox answers, and every sidebar item opens its view', async () => {
    const browser = await openApp();
    try {
      assert.equal(await browser.$('[data-testid="app-version"]').getText(), `Postdesk ${process.env.POSTDESK_E2E_VERSION}`);
      const sb = await sandboxOf(browser);
      const me = await fetch(`${sb.url}/me`, { headers: { 'X-API-Key': sb.key }, signal: AbortSignal.timeout(10_000) });
      assert.equal(me.status, 200);
      assert.equal((await me.json()).user.username, 'taylor-lee');
      const labels = await browser.execute(() => [...document.querySelectorAll('nav[aria-label="Views"] button')].map((b) => b.getAttribute('aria-label')));
      assert.deepEqual(labels, ['Keys', 'Collections', 'Environments', 'Sharing', 'Monitors', 'Mocks', 'Usage', 'Activity']);
      for (const label of labels) {
        await browser.$(`nav[aria-label="Views"] button[aria-label="${label}"]`).click();
        await browser.waitUntil(async () => (await (await heading(browser)).getText()) === label, { timeout: 10_000, timeoutMsg: `${label} did not open` });
      }
      await screenshot(browser, 'packaged-activity');
      // The release build's SQLite (built with the project's flags) keeps the activity log: the
      // start-up /me call is in history.db (or its WAL, before a checkpoint).
      let stored = '';
      for (const f of ['history.db', 'history.db-wal']) {
        stored += await readFile(path.join(sb.dataDir, f), 'latin1').catch(() => '');
      }
      assert.ok(stored.startsWith('SQLite format 3'), 'history.db is an SQLite database');
      assert.ok(stored.includes('/me'), 'the start-up call is in the history database');
      assert.equal(await instances(), 1);
      const second = await secondLaunch();
      assert.deepEqual([second.code, second.signal], [0, null], second.out);
      assert.equal(await instances(), 1);
      await browser.waitUntil(() => browser.execute(() => document.hasFocus() && document.visibilityState === 'visible'), {
        timeout: 5_000,
        timeoutMsg: 'the first window is not focused after the second launch',
      });
    } finally {
      await browser.deleteSession();
    }
  });
});
