// E2E: trust (issue 13). Two accounts' keys with a draft open in each: neither sees the other's
// documents, and each draft comes back under its own key. Runs after the other files, so the
// data folder then holds what a real session leaves there (keys.json, drafts of two accounts,
// prefs, the activity log, the sandbox's state and sandbox.json, the webview's own files):
// every folder in it is 0700 and every file 0600.
import assert from 'node:assert/strict';
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { SCHEMA, api, appWithSandbox, navButton, openCollection, paste, renameSelected, screenshot } from './support.mjs';

const WAIT = { timeout: 10_000 };
const treeRow = (browser, name) => browser.$(`//*[@role="treeitem"][contains(., ${JSON.stringify(name)})]`);

/** A collection of `who` (through the API, as another app would) with one request, `Ping`. */
async function collectionOf(who, name) {
  const item = [{ name: 'Ping', request: { method: 'GET', url: 'https://example.com/ping' } }];
  const r = await api(who, 'POST', '/collections', { collection: { info: { name, schema: SCHEMA }, item } });
  assert.equal(r.status, 200, JSON.stringify(r.json));
}

/** Whether the Collections list (refreshed) shows a collection of this name. */
async function listed(browser, name) {
  await (await navButton(browser, 'Collections')).click();
  await browser.$('[data-testid="refresh"]').click();
  await browser.$('[data-testid="list-loading"]').waitForDisplayed({ ...WAIT, reverse: true });
  await browser.$('[data-testid="list-freshness"]').waitForDisplayed(WAIT);
  const search = await browser.$('input[type="search"]');
  await search.setValue(name);
  return browser.$(`//*[@role="option"][contains(., ${JSON.stringify(name)})]`).isExisting();
}

/** Opens `name` and renames its request `Ping` to `to`: an unsaved draft. */
async function draftIn(browser, name, to) {
  await openCollection(browser, name);
  await (await treeRow(browser, 'Ping')).click();
  await renameSelected(browser, to);
  await (await treeRow(browser, to)).waitForDisplayed(WAIT);
}

/** Opens `name` and waits for its tree to show the draft's request `edited`. */
async function draftBack(browser, name, edited) {
  await openCollection(browser, name);
  await (await treeRow(browser, edited)).waitForDisplayed(WAIT);
  await browser.$('[data-testid="draft-badge"]').waitForDisplayed(WAIT);
}

/** Every entry under `dir` (links are not followed), with its mode. */
async function* tree(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    const { mode } = await lstat(p);
    yield { path: p, mode: mode & 0o777, dir: entry.isDirectory(), file: entry.isFile() };
    if (entry.isDirectory()) yield* tree(p);
  }
}

describe('trust', () => {
  const app = appWithSandbox();

  it("keeps each account's documents and drafts its own when the active key changes", async () => {
    const { browser, sb: taylor } = app;
    const sam = { ...taylor, key: taylor.keys['sam-rivera'] };
    assert.ok(sam.key, 'the sandbox has a second user');
    await collectionOf(taylor, 'Only Taylor sees this');
    await collectionOf(sam, 'Only Sam sees this');

    // The built-in sandbox is Taylor's: a draft in Taylor's collection.
    await draftIn(browser, 'Only Taylor sees this', 'Edited by Taylor');

    // Sam's key: Taylor's collection and draft are not Sam's to see.
    await (await navButton(browser, 'Keys')).click();
    await (await browser.$('button=Add your Postman API key')).click();
    await (await browser.$('[aria-label="Region"]')).selectByAttribute('value', 'sandbox');
    await paste(browser, 'API key', sam.key);
    await paste(browser, 'Key name', 'Sam');
    await (await browser.$('button=Verify and add')).click();
    await browser.waitUntil(async () => (await browser.$('[data-testid="active-key"]').getText()) === 'Sam', {
      ...WAIT,
      timeoutMsg: "Sam's key did not become the active key",
    });
    assert.equal(await listed(browser, 'Only Taylor sees this'), false, "Taylor's collection under Sam's key");
    await draftIn(browser, 'Only Sam sees this', 'Edited by Sam');
    await screenshot(browser, 'accounts-sam');

    // Back to Taylor: Taylor's draft is back, Sam's collection is not there.
    await (await navButton(browser, 'Keys')).click();
    await (await browser.$('button=Use the built-in sandbox')).click();
    await browser.waitUntil(async () => (await browser.$('[data-testid="active-key"]').getText()) !== 'Sam', WAIT);
    assert.equal(await listed(browser, 'Only Sam sees this'), false, "Sam's collection under Taylor's key");
    await draftBack(browser, 'Only Taylor sees this', 'Edited by Taylor');
    assert.equal(await (await treeRow(browser, 'Edited by Sam')).isExisting(), false);

    // And Sam's again, under Sam's key.
    await (await navButton(browser, 'Keys')).click();
    await (await browser.$('button[aria-label="Make active: Sam"]')).click();
    await browser.waitUntil(async () => (await browser.$('[data-testid="active-key"]').getText()) === 'Sam', WAIT);
    await draftBack(browser, 'Only Sam sees this', 'Edited by Sam');
    assert.equal(await listed(browser, 'Only Taylor sees this'), false);
    await screenshot(browser, 'accounts-back');
  });

  it('keeps every file in the data folder for the user alone', async () => {
    const { browser } = app;
    const dataDir = await browser.$('.app-footer .data-dir').getAttribute('title');
    assert.equal((await lstat(dataDir)).mode & 0o777, 0o700, 'the data folder');
    const open = [];
    let files = 0;
    for await (const e of tree(dataDir)) {
      if (e.file) files += 1;
      if ((e.dir && e.mode !== 0o700) || (e.file && e.mode !== 0o600)) {
        open.push(`${path.relative(dataDir, e.path)} ${e.mode.toString(8)}`);
      }
    }
    assert.ok(files >= 5, `only ${files} files: the earlier E2E files should have left more`);
    assert.deepEqual(open, [], 'open to other users');
  });
});
