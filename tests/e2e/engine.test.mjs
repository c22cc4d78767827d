// E2E: the client engine seen from the window (issue 4). The app talks to its built-in sandbox;
// the test process reads and steers that sandbox over loopback (the webview cannot).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { admin, navButton, openApp, sandboxOf, screenshot, tableRows } from './support.mjs';


describe('engine: meters, usage and activity', () => {
  let browser;
  let sandbox;
  let launched;

  before(async () => {
    launched = performance.now();
    browser = await openApp();
    sandbox = await sandboxOf(browser);
    await admin(sandbox, 'POST', '/_sandbox/limits', { default: true });
  });
  after(async () => {
    await browser?.deleteSession();
  });

  const text = async (testId) => browser.$(`[data-testid="${testId}"]`).getText();

  it('fills both meters from the one start-up call', async () => {
    await browser.waitUntil(async () => (await text('month-text')).includes(' of 1,000,000'), {
      timeout: 10_000,
      timeoutMsg: 'the monthly meter never showed the allowance',
      interval: 20,
    });
    // A figure for the closing note, not a timed assertion: launch → first useful screen.
    console.log(`cold start: ${Math.round(performance.now() - launched)} ms from launch to both meters filled`);
    assert.match(await text('rate-text'), /^\d+ of 300 left$/);
    assert.match(await text('active-key'), /^Sandbox \(/);
  });

  it('shows the account and the calls in Usage, from the cache (no extra call)', async () => {
    const before = await admin(sandbox, 'GET', '/_sandbox/keys');
    assert.ok(before.keys);
    await (await navButton(browser, 'Usage')).click();
    await browser.$('[data-testid="usage-used"]').waitForDisplayed({ timeout: 10_000 });
    assert.match(await browser.$('[data-testid="usage-fetched"]').getText(), /\(cached\)/);
    // The whole start-up cost one API call.
    assert.deepEqual(await tableRows(browser, "This session's calls by endpoint"), [['GET /me', '1']]);
    await screenshot(browser, 'usage');
  });

  it('moves the meters when the app makes calls', async () => {
    const before = await text('month-text');
    await (await browser.$('button[aria-label="Refresh usage"]')).click();
    await browser.waitUntil(async () => (await text('month-text')) !== before, {
      timeout: 10_000,
      timeoutMsg: `the monthly meter stayed at "${before}"`,
    });
    assert.deepEqual(await tableRows(browser, "This session's calls by endpoint"), [['GET /me', '2']]);
  });

  it('waits for a tiny rate limit instead of failing, and never provokes a 429', async () => {
    await admin(sandbox, 'POST', '/_sandbox/limits', { perMinute: 2, windowMs: 6_000 });
    const refresh = await browser.$('button[aria-label="Refresh usage"]');
    const idle = () => browser.waitUntil(async () => refresh.isEnabled(), { timeout: 20_000 });
    await refresh.click();
    await idle();
    await refresh.click();
    await idle();
    await refresh.click(); // the window's allowance is spent: this one has to wait
    await browser.waitUntil(async () => (await text('rate-text')).startsWith('Waiting'), {
      timeout: 5_000,
      timeoutMsg: 'the header never showed the waiting state',
    });
    await screenshot(browser, 'waiting');
    await idle();
    assert.equal(await browser.$('[role="alert"]').isExisting(), false, 'an error was shown');
    await admin(sandbox, 'POST', '/_sandbox/limits', { default: true });
  });

  it('lists every call in Activity with no 429 among them, and exports it', async () => {
    await (await navButton(browser, 'Activity')).click();
    // The log persists in the data folder, so earlier E2E files' calls may be listed too.
    await browser.waitUntil(async () => {
      const m = /^([\d,]+) of ([\d,]+) calls$/.exec(await text('activity-count'));
      return m !== null && m[1] === m[2] && Number(m[1].replaceAll(',', '')) >= 5;
    }, {
      timeout: 10_000,
      timeoutMsg: 'the activity log does not show the five calls',
    });
    const statuses = await browser.$$('[role="row"][data-status]').map((r) => r.getAttribute('data-status'));
    assert.ok(statuses.length >= 5, `rows: ${statuses}`);
    assert.deepEqual([...new Set(statuses)], ['2xx']);
    await screenshot(browser, 'activity-calls');
    await (await browser.$('button[aria-label="Export CSV"]')).click();
    const status = await browser.$('[role="status"]');
    await status.waitForDisplayed({ timeout: 5_000 });
    assert.match(await status.getText(), /Exported to .*postdesk-activity-.*\.csv$/);
  });
});
