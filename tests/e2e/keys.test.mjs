// E2E: keys (issue 5) against the built-in sandbox. Add a key minted through /_sandbox/, see it
// verified with its user's name, set an expiry 2 days out and see the warning, rotate, delete;
// paste garbage and get a clear error. Then the secret audit: the keys' bytes appear nowhere in
// what the run wrote (HOME, data folder, webview storage, logs) nor in any IPC reply captured.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TEST_NOW, admin, navButton, openApp, paste, sandboxOf, screenshot } from './support.mjs';

const USER = 'taylor-lee';

async function mint(sandbox) {
  return (await admin(sandbox, 'POST', '/_sandbox/api-keys', { user: USER })).key;
}

/** `days` after the app's (pinned) today. */
function isoDatePlus(days) {
  const t = TEST_NOW;
  return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate() + days)).toISOString().slice(0, 10);
}

async function* files(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(p);
    else if (entry.isFile()) yield p;
  }
}

describe('keys', () => {
  let browser;
  let sandbox;
  const minted = [];
  /** Replies of every command that returns data, taken after each step, for the audit. */
  const replies = [];
  async function captureIpc() {
    const got = await browser.executeAsync((done) => {
      const calls = [
        ['app_info', {}],
        ['engine_active_key', {}],
        ['engine_meters', {}],
        ['engine_activity', {}],
        ['engine_usage', { force: false }],
        ['keys_list', {}],
        ['keys_due_reminders', {}],
      ];
      Promise.all(
        calls.map(([cmd, args]) =>
          window.__TAURI_INTERNALS__.invoke(cmd, args).then(
            (v) => JSON.stringify(v),
            (e) => JSON.stringify(e),
          ),
        ),
      ).then(done);
    });
    replies.push(...got);
  }

  before(async () => {
    browser = await openApp();
    sandbox = await sandboxOf(browser, USER);
    minted.push(await mint(sandbox), await mint(sandbox));
    await (await navButton(browser, 'Keys')).click();
  });
  after(async () => {
    await browser?.deleteSession();
  });

  const field = (label) => browser.$(`[aria-label="${label}"]`);
  const rowOf = (name) => browser.$(`table[aria-label="API keys"] tr[data-key-name="${name}"]`);
  const setValue = (label, value) => paste(browser, label, value);

  it('refuses a garbage paste with a clear message and sends nothing', async () => {
    await (await browser.$('button=Add your Postman API key')).click();
    await setValue('API key', 'hello, this is not a key');
    const hint = await browser.$('#key-hint');
    assert.equal(await hint.getText(), 'A Postman API key starts with PMAK-.');
    assert.equal(await (await browser.$('button=Verify and add')).isEnabled(), false);
    // Well-formed but unknown to the sandbox: verified with GET /me, refused, nothing saved.
    await (await field('Region')).selectByAttribute('value', 'sandbox');
    await setValue('API key', `PMAK-${'0'.repeat(24)}-${'0'.repeat(34)}`);
    await setValue('Key name', 'Unknown');
    await (await browser.$('button=Verify and add')).click();
    const alert = await browser.$('form [role="alert"].banner');
    await alert.waitForDisplayed({ timeout: 10_000 });
    assert.match(await alert.getText(), /invalid|revoked|refused/i);
    await screenshot(browser, 'keys-refused');
  });

  it('adds a key minted in the sandbox and shows it verified with its user', async () => {
    await setValue('API key', `  ${minted[0]}\n`);
    await setValue('Key name', 'E2E key');
    await (await browser.$('button=Verify and add')).click();
    const row = await rowOf('E2E key');
    await row.waitForDisplayed({ timeout: 10_000 });
    assert.equal(await row.$('[data-testid="key-status"]').getText(), 'Valid');
    assert.match(await row.getText(), new RegExp(USER));
    assert.match(await row.getText(), new RegExp(`PMAK-…${minted[0].slice(-4)}`));
    await browser.waitUntil(async () => (await browser.$('[data-testid="active-key"]').getText()) === 'E2E key', {
      timeout: 5_000,
      timeoutMsg: 'the new key did not become the active key',
    });
    await captureIpc();
  });

  it('warns when the key expires in 2 days', async () => {
    await (await browser.$('button[aria-label="Change expiry of E2E key"]')).click();
    await setValue('New expiry date', isoDatePlus(2));
    await (await browser.$('button=Save')).click();
    const expiry = await (await rowOf('E2E key')).$('[data-testid="key-expiry"]');
    await browser.waitUntil(async () => (await expiry.getText()) === '2 days left', { timeout: 5_000 });
    assert.equal(await expiry.getAttribute('class'), 'urgency-urgent');
    // The in-app reminder banner (the OS notification goes out too; Xvfb has no notification
    // server, so the app logs that and relies on the banner).
    const banner = await browser.$('[data-testid="expiry-reminder"]');
    await banner.waitForDisplayed({ timeout: 5_000 });
    assert.match(await banner.getText(), /Your API key "E2E key" expires in 2 days/);
    await screenshot(browser, 'keys-expiring');
  });

  it('rotates to a new key of the same user and retires the old one', async () => {
    await (await browser.$('button[aria-label="Rotate E2E key"]')).click();
    await setValue('API key', minted[1]);
    await setValue('Key name', 'E2E key 2');
    await (await browser.$('button=Verify and rotate')).click();
    const notice = await browser.$('section[aria-label="API keys"] [role="status"]');
    await notice.waitForDisplayed({ timeout: 10_000 });
    assert.match(await notice.getText(), /Delete the old key in Postman too: https:\/\/go\.postman\.co\/settings\/me\/api-keys/);
    assert.equal(await (await rowOf('E2E key')).isExisting(), false);
    assert.equal(await (await rowOf('E2E key 2')).isExisting(), true);
    await captureIpc();
  });

  it('deletes the key after confirmation and falls back to the built-in sandbox', async () => {
    await (await browser.$('button[aria-label="Delete E2E key 2"]')).click();
    await (await browser.$('button=Delete')).click();
    await (await browser.$('[aria-label="Get started"]')).waitForDisplayed({ timeout: 5_000 });
    await browser.waitUntil(async () => (await browser.$('[data-testid="active-key"]').getText()).startsWith('Sandbox ('), {
      timeout: 5_000,
      timeoutMsg: 'the engine did not go back to the built-in sandbox',
    });
    await captureIpc();
  });

  it('leaves no trace of either key anywhere (secret audit)', async () => {
    assert.ok(replies.length >= 21, `only ${replies.length} IPC replies captured`);
    assert.ok(replies.some((r) => r.includes('E2E key')), 'the captured replies never saw the key by name');
    const work = process.env.POSTDESK_E2E_WORK;
    assert.ok(work, 'POSTDESK_E2E_WORK is not set');
    let scanned = 0;
    for (const key of minted) {
      const needle = Buffer.from(key);
      for (const reply of replies) assert.ok(!reply.includes(key), `an IPC reply contains the key: ${reply.slice(0, 80)}`);
      for await (const file of files(work)) {
        const bytes = await readFile(file).catch(() => Buffer.alloc(0));
        scanned += 1;
        assert.ok(!bytes.includes(needle), `the key's bytes are in ${file}`);
      }
    }
    assert.ok(scanned > 10, `only ${scanned} files scanned`);
  });
});
