// E2E: sharing (issue 7) against the built-in sandbox. Create a key for a collection from its
// share panel, copy the link (Rust writes the X clipboard; read here with xclip), fetch the
// collection through the link with no API key, revoke the key, fetch again (refused), and the
// key is no longer active. Then 20 keys revoked at once under a small limit: all revoked, no
// 429, progress shown. And 400 keys: the table draws only the rows in view, every one reachable.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { SCHEMA, advanceSandboxClock, api, appWithSandbox, keyRow, navButton, openCollection, screenshot } from './support.mjs';

const WAIT = { timeout: 10_000 };

async function* files(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(p);
    else if (entry.isFile()) yield p;
  }
}

const clipboard = () => execFileSync('xclip', ['-selection', 'clipboard', '-o'], { timeout: 5_000 }).toString();

/** Every access key of a collection, following the API's cursor pages. */
async function keysOf(sb, uid) {
  const out = [];
  let cursor = '';
  for (let i = 0; i < 50; i++) {
    const r = await api(sb, 'GET', `/collection-access-keys?collectionId=${uid}${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(r.status, 200);
    out.push(...r.json.data);
    cursor = r.json.meta?.nextCursor ?? '';
    if (!cursor) break;
  }
  return out;
}

async function calls(browser) {
  return browser.executeAsync((done) => {
    window.__TAURI_INTERNALS__.invoke('engine_activity', {}).then(
      (rows) => done(rows.map((r) => ({ method: r.method, path: r.path, status: r.status }))),
      () => done([]),
    );
  });
}

describe('sharing', () => {
  const app = appWithSandbox();

  it('shares a collection through a verified key, then revokes it', async () => {
    const { browser, sb } = app;
    const name = `E2E Shared ${Date.now()}`;
    const made = await api(sb, 'POST', '/collections', {
      collection: { info: { name, schema: SCHEMA }, item: [{ name: 'ping', request: 'https://echo.test/ping' }] },
    });
    assert.equal(made.status, 200);
    const uid = made.json.collection.uid;
    await openCollection(browser, name);
    await browser.$('[data-testid="share"]').click();
    await browser.$('[data-testid="share-panel"]').waitForDisplayed(WAIT);
    await browser.$('[data-testid="mint-key"]').click();
    const shown = await browser.$('[data-testid="share-link"]');
    await shown.waitForDisplayed(WAIT);
    assert.match(await shown.getText(), /access_key=PMAT-…\w{4}/);
    await screenshot(browser, 'sharing-new-key');

    await browser.$('[data-testid="copy-link"]').click();
    await browser.waitUntil(() => clipboard().includes('access_key=PMAT-'), { ...WAIT, timeoutMsg: 'the link never reached the clipboard' });
    const link = clipboard().trim();
    // Marked for clipboard managers to skip (they keep no history of it), and the view says so.
    const targets = execFileSync('xclip', ['-selection', 'clipboard', '-t', 'TARGETS', '-o'], { timeout: 5_000 }).toString();
    assert.match(targets, /x-kde-passwordManagerHint/, targets);
    assert.match(await browser.$('[data-testid="copy-status"]').getText(), /kept out of clipboard history, and cleared from the clipboard in 60 s/);
    assert.ok(link.startsWith(`${sb.url}/collections/${uid}?access_key=PMAT-`), link);
    // The token is not in the page.
    const token = link.split('access_key=')[1];
    assert.equal((await browser.execute(() => document.documentElement.outerHTML)).includes(token), false);
    // Anyone with the link can read the collection, with no API key.
    const viaLink = await fetch(link, { signal: AbortSignal.timeout(10_000) });
    assert.equal(viaLink.status, 200);
    assert.equal((await viaLink.json()).collection.info.name, name);

    // Revoke it in the Sharing view.
    await (await navButton(browser, 'Sharing')).click();
    await browser.$('[data-testid="refresh"]').click();
    const keys = await keysOf(sb, uid);
    assert.equal(keys.length, 1);
    const row = await keyRow(browser, keys[0].id);
    await row.$('input[type="checkbox"]').click();
    await browser.$('[data-testid="revoke-selected"]').click();
    await browser.$('button=Revoke 1 key').click().catch(async () => {
      // The confirm button's wording may differ: click the dialog's primary button.
      await browser.$('[role="dialog"] button.danger, [role="alertdialog"] button.danger').click();
    });
    await browser.$('[data-testid="revoke-results"]').waitForDisplayed(WAIT);
    const refused = await fetch(link, { signal: AbortSignal.timeout(10_000) });
    assert.ok(refused.status >= 400, `the link still works after the revoke (${refused.status})`);
    await browser.waitUntil(async () => (await row.$('[data-testid="access-key-status"]').getText().catch(() => '')).trim().toLowerCase() !== 'active', {
      ...WAIT,
      timeoutMsg: 'the key still shows as active',
    });
    await screenshot(browser, 'sharing-revoked');
    // The token is in no file the run wrote (data folder, logs, webview storage); the keychain
    // file is encrypted.
    const work = process.env.POSTDESK_E2E_WORK;
    assert.ok(work, 'POSTDESK_E2E_WORK is set by run.sh');
    for await (const file of files(work)) {
      const bytes = await readFile(file).catch(() => Buffer.alloc(0));
      assert.equal(bytes.includes(token), false, `the access token was written to ${file}`);
    }
  });

  it('revokes 20 keys at once under a small limit: all revoked, no 429, progress shown', async () => {
    const { browser, sb } = app;
    const name = `E2E Many keys ${Date.now()}`;
    const made = await api(sb, 'POST', '/collections', { collection: { info: { name, schema: SCHEMA }, item: [] } });
    const uid = made.json.collection.uid;
    for (let i = 0; i < 20; i++) {
      const r = await api(sb, 'POST', '/_sandbox/access-keys', { collection: uid });
      assert.equal(r.status, 200);
    }
    await api(sb, 'POST', '/_sandbox/limits', { perMinute: 8, windowMs: 1000 });
    try {
      await (await navButton(browser, 'Sharing')).click();
      await browser.$('[data-testid="refresh"]').click();
      const ids = (await keysOf(sb, uid)).map((k) => k.id);
      assert.equal(ids.length, 20);
      for (const id of ids) await (await keyRow(browser, id)).$('input[type="checkbox"]').click();
      const before = (await calls(browser)).length;
      await browser.$('[data-testid="revoke-selected"]').click();
      await browser.$('button=Revoke 20 keys').click().catch(async () => {
        await browser.$('[role="dialog"] button.danger, [role="alertdialog"] button.danger').click();
      });
      await browser.$('[data-testid="revoke-progress"]').waitForExist(WAIT);
      await screenshot(browser, 'sharing-revoke-progress');
      await browser.$('[data-testid="revoke-results"]').waitForDisplayed({ timeout: 30_000 });
      // The activity log is newest first.
      const all = await calls(browser);
      const made2 = all.slice(0, all.length - before);
      const deletes = made2.filter((c) => c.method === 'DELETE');
      assert.equal(deletes.length, 20, JSON.stringify(made2));
      assert.equal(made2.filter((c) => c.status === 429).length, 0, 'no 429');
      // The test's own calls are not paced: lift the small limit and let its window pass.
      await api(sb, 'POST', '/_sandbox/limits', { default: true });
      await advanceSandboxClock(sb, 1_100);
      const left = await keysOf(sb, uid);
      assert.ok(left.every((k) => k.status !== 'ACTIVE'), JSON.stringify(left.map((k) => k.status)));
      await screenshot(browser, 'sharing-revoked-20');
    } finally {
      await api(sb, 'POST', '/_sandbox/limits', { default: true });
    }
  });

  it('draws only the rows in view of 400 access keys, and every one can be scrolled to', async () => {
    const { browser, sb } = app;
    const name = `E2E Windowed keys ${Date.now()}`;
    const made = await api(sb, 'POST', '/collections', { collection: { info: { name, schema: SCHEMA }, item: [] } });
    const uid = made.json.collection.uid;
    await api(sb, 'POST', '/_sandbox/limits', { lifted: true });
    try {
      for (let i = 0; i < 400; i++) assert.equal((await api(sb, 'POST', '/_sandbox/access-keys', { collection: uid })).status, 200);
      const ids = (await keysOf(sb, uid)).map((k) => k.id);
      assert.equal(ids.length, 400);
      await (await navButton(browser, 'Sharing')).click();
      await browser.$('[data-testid="refresh"]').click();
      // Scrolled to the end, the table asks for the next page until every key is loaded.
      const countText = () => browser.execute(() => document.querySelector('[data-testid="key-count"]')?.textContent ?? '');
      await browser.waitUntil(
        async () => {
          await browser.execute(() => {
            // The end of the table into view: inside its scroller once windowed, else in the page.
            document.querySelector('[data-testid="access-keys-end"]')?.scrollIntoView({ block: 'end' });
          });
          const text = await countText();
          return text.includes('loaded') && !text.includes('more to load');
        },
        { timeout: 60_000, interval: 100, timeoutMsg: 'the pages did not all load' },
      );
      await browser.$('[data-testid="filter-collection"]').selectByAttribute('value', uid);
      await browser.waitUntil(async () => (await countText()).startsWith('400 of'), WAIT);
      const table = await browser.$('table[aria-label="Collection access keys"]');
      assert.equal(await table.getAttribute('aria-rowcount'), '401');
      const drawn = () => browser.execute(() => [...document.querySelectorAll('[data-testid="access-key-row"]')].map((r) => r.dataset.keyId));
      // Back to the top of the table (loading scrolled it to the end).
      await browser.execute(() => {
        document.querySelector('[data-testid="access-keys-scroller"]').scrollTop = 0;
      });
      await browser.waitUntil(async () => (await drawn())[0] === ids[0], { ...WAIT, timeoutMsg: 'the first key was not drawn at the top' });
      const top = await drawn();
      assert.ok(top.length > 5 && top.length < 120, `${top.length} rows drawn`);
      assert.equal(top[0], ids[0]);
      await browser.execute(() => {
        const s = document.querySelector('[data-testid="access-keys-scroller"]');
        s.scrollTop = s.scrollHeight;
      });
      await browser.waitUntil(async () => (await drawn()).includes(ids[399]), { ...WAIT, timeoutMsg: 'the last key was not drawn at the end' });
      assert.ok((await drawn()).length < 120);
      // The header stays in view while the rows scroll under it.
      const header = await browser.execute(() => {
        const s = document.querySelector('[data-testid="access-keys-scroller"]').getBoundingClientRect();
        const th = document.querySelector('table[aria-label="Collection access keys"] thead th').getBoundingClientRect();
        return { scroller: s.top, header: th.top };
      });
      assert.ok(Math.abs(header.header - header.scroller) < 2, JSON.stringify(header));
      await browser.execute(() => document.querySelector('[data-testid="access-keys-scroller"]').scrollIntoView({ block: 'start' }));
      await screenshot(browser, 'sharing-400-keys-windowed');
    } finally {
      await api(sb, 'POST', '/_sandbox/limits', { default: true });
    }
  });
});
