// E2E: the Postdesk shell (issue 2). Visits every view through the sidebar, checks what each
// shows, the keyboard path, the typed IPC call and the security baseline in the real webview.
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { admin, heading, navButton, openApp, sandboxOf, screenshot } from './support.mjs';

const VIEWS = [
  // With no key yet, Keys is the first-run screen (see keys.test.mjs).
  { label: 'Keys', region: 'Get started', text: 'Explore with the built-in sandbox' },
  { label: 'Collections', region: 'Collections of the workspace', text: 'New collection' },
  { label: 'Environments', region: 'Environments of the workspace', text: 'New environment' },
  // Empty on a fresh data folder; after sharing.test.mjs the sandbox account has (revoked) keys.
  { label: 'Sharing', selector: 'main [aria-label="Sharing: empty"], main [aria-label="Collection access keys"]', text: 'PMAT-' },
  { label: 'Monitors', region: 'Monitors', text: 'New monitor' },
  { label: 'Mocks', region: 'Mocks', text: 'New mock' },
  // Usage and Activity have content from the first start-up call on (see engine.test.mjs).
  { label: 'Usage', region: 'Usage figures', text: 'API calls this month' },
  { label: 'Activity', region: 'Activity log', text: 'GET' },
];

describe('Postdesk shell', () => {
  let browser;
  before(async () => {
    browser = await openApp();
  });
  after(async () => {
    await browser?.deleteSession();
  });

  it('opens the Postdesk window on the Keys view', async () => {
    assert.equal(await browser.getTitle(), 'Postdesk — Keys');
    assert.equal(await (await heading(browser)).getText(), 'Keys');
  });

  it('shows the version and data folder from the Rust core (typed IPC)', async () => {
    const version = await browser.$('[data-testid="app-version"]').getText();
    assert.equal(version, `Postdesk ${process.env.POSTDESK_E2E_VERSION}`);
    const dataDir = await browser.$('.app-footer .data-dir').getAttribute('title');
    assert.ok(dataDir.endsWith('dev.postdesk.desktop'), `data folder: ${dataDir}`);
    assert.ok(dataDir.startsWith(`${process.env.HOME}/`), `data folder outside the test HOME: ${dataDir}`);
    // The app found the session's Secret Service (gnome-keyring, started by run.sh).
    assert.equal(await browser.$('[data-testid="keychain"]').getText(), 'Keychain: Secret Service');
  });

  it('runs the built-in sandbox on loopback, serving the seeded Postman API', async () => {
    // The test process (not the webview, which the CSP keeps off the network) calls it, with
    // the admin token the app wrote to sandbox.json for the user's own tools.
    const sb = await sandboxOf(browser);
    const { url } = sb;
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const [user, key] = Object.entries(sb.keys)[0];
    const me = await fetch(`${url}/me`, { headers: { 'X-API-Key': key }, signal: AbortSignal.timeout(5000) });
    assert.equal(me.status, 200);
    assert.equal((await me.json()).user.username, user);
    const denied = await fetch(`${url}/me`, { signal: AbortSignal.timeout(5000) });
    assert.equal(denied.status, 401);
  });

  it("keeps the built-in sandbox the user's own: token, host, origin, JSON", async () => {
    const sb = await sandboxOf(browser);
    const info = await stat(path.join(sb.dataDir, 'sandbox.json'));
    assert.equal(info.mode & 0o777, 0o600, 'sandbox.json is for the user alone');
    // No token, or a wrong one: the admin routes refuse (401) and change nothing.
    for (const headers of [{}, { 'X-Sandbox-Token': 'f'.repeat(64) }]) {
      const res = await fetch(`${sb.url}/_sandbox/reset`, { method: 'POST', headers, signal: AbortSignal.timeout(5000) });
      assert.equal(res.status, 401);
    }
    // What a web page in the user's browser would send: refused even with a valid key.
    const page = await fetch(`${sb.url}/me`, {
      headers: { 'X-API-Key': sb.key, Origin: 'https://attacker.example' },
      signal: AbortSignal.timeout(5000),
    });
    assert.equal(page.status, 403);
    const rebound = await new Promise((resolve, reject) => {
      const u = new URL(sb.url);
      const req = http.request(
        { host: u.hostname, port: u.port, path: '/me', headers: { Host: `attacker.example:${u.port}`, 'X-API-Key': sb.key }, timeout: 5000 },
        (res) => {
          res.resume();
          resolve(res.statusCode);
        },
      );
      req.on('error', reject);
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.end();
    });
    assert.equal(rebound, 403, 'a DNS-rebound page names its own host');
    const plain = await fetch(`${sb.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'X-Sandbox-Token': sb.adminToken, 'Content-Type': 'text/plain' },
      body: JSON.stringify({ delayMs: 600_000 }),
      signal: AbortSignal.timeout(5000),
    });
    assert.equal(plain.status, 415);
    assert.deepEqual((await admin(sb, 'GET', '/_sandbox/faults')).faults, []);
  });

  it('reserves the header for the active key and both meters', async () => {
    for (const name of ['Active key', 'Rate limit', 'Monthly usage']) {
      const group = await browser.$(`header [role="group"][aria-label="${name}"]`);
      assert.ok(await group.isDisplayed(), `${name} is not shown`);
    }
  });

  for (const view of VIEWS) {
    it(`visits ${view.label} through the sidebar and shows what it holds`, async () => {
      await (await navButton(browser, view.label)).click();
      assert.equal(await (await heading(browser)).getText(), view.label);
      assert.equal(await (await navButton(browser, view.label)).getAttribute('aria-current'), 'page');
      const region = await browser.$(view.selector ?? `main [aria-label="${view.region ?? `${view.label}: empty`}"]`);
      // getText() returns the rendered text, so CSS text-transform applies: compare caselessly.
      await browser.waitUntil(async () => (await region.getText()).toLowerCase().includes(view.text.toLowerCase()), {
        timeout: 10_000,
        timeoutMsg: `${view.label} never showed "${view.text}"`,
      });
      const text = await region.getText();
      if (view.empty) assert.ok(text.includes(view.empty), text);
      const file = await screenshot(browser, view.label.toLowerCase());
      assert.ok((await stat(file)).size > 5_000, `screenshot ${file} looks empty`);
    });
  }

  it('moves between views with the keyboard', async () => {
    await (await navButton(browser, 'Keys')).click();
    await browser.keys(['ArrowDown']);
    assert.equal(await (await heading(browser)).getText(), 'Collections');
    const focused = await browser.execute(() => document.activeElement?.getAttribute('aria-label'));
    assert.equal(focused, 'Collections');
    await browser.keys(['End']);
    assert.equal(await (await heading(browser)).getText(), 'Activity');
    await browser.keys(['Control', '3']);
    assert.equal(await (await heading(browser)).getText(), 'Environments');
  });

  it('keeps the security baseline in the running webview', async () => {
    // The webview cannot reach the network, not even the loopback sandbox.
    const sandbox = await browser.$('[data-testid="sandbox-url"]').getAttribute('title');
    const fetched = await browser.executeAsync((url, done) => {
      fetch(`${url}/me`).then(() => done('reached'), () => done('blocked'));
    }, sandbox);
    assert.equal(fetched, 'blocked');
    // withGlobalTauri is false: no Tauri API on window for page scripts.
    assert.equal(await browser.execute(() => typeof window.__TAURI__), 'undefined');
    // Apart from that deliberate fetch, the app ran without a single CSP violation.
    await browser.waitUntil(async () => (await browser.execute(() => document.documentElement.dataset.cspViolations)) === '1', {
      timeout: 5000,
      timeoutMsg: 'the blocked fetch was not reported as a CSP violation',
    });
    // A command outside the capability is refused by Tauri's ACL.
    const denied = await browser.executeAsync((done) => {
      window.__TAURI_INTERNALS__
        .invoke('plugin:window|close', { label: 'main' })
        .then(() => done('allowed'), (err) => done(String(err)));
    });
    assert.match(denied, /not allowed|denied|permission/i);
    // The allow-listed command answers.
    const info = await browser.executeAsync((done) => {
      window.__TAURI_INTERNALS__.invoke('app_info').then((v) => done(v.name), (e) => done(String(e)));
    });
    assert.equal(info, 'Postdesk');
    // eval is refused by the CSP (no 'unsafe-eval').
    const evalResult = await browser.execute(() => {
      try {
        return new Function('return "allowed"')();
      } catch {
        return 'blocked';
      }
    });
    assert.equal(evalResult, 'blocked');
  });
});
