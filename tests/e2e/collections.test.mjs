// E2E: Collections and Environments (issue 6) against the built-in sandbox, in the real window.
// - open a collection, rename a request, add a variable, save, reload: persisted (checked
//   through the API);
// - the same collection changed through the API meanwhile: the conflict view appears;
// - malformed JSON in raw mode: a clear error, nothing sent;
// - an environment secret stays masked;
// - the app killed with an unsaved edit: the draft is back after a restart.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import {
  SCHEMA,
  advanceSandboxClock,
  api,
  appWithSandbox,
  navButton,
  openCollection,
  renameSelected,
  save,
  screenshot,
  settle,
} from './support.mjs';

const WAIT = { timeout: 10_000 };

async function newCollection(sb, name) {
  const ws = (await api(sb, 'GET', '/workspaces')).json.workspaces[0].id;
  const made = await api(sb, 'POST', `/collections?workspace=${ws}`, {
    collection: {
      info: { name, schema: SCHEMA },
      item: [
        { name: 'List orders', request: { method: 'GET', url: 'https://shop.test/orders' } },
        { name: 'Create order', request: { method: 'POST', url: 'https://shop.test/orders' } },
        { name: 'Admin', item: [{ name: 'Purge', request: { method: 'DELETE', url: 'https://shop.test/all' } }] },
      ],
    },
  });
  assert.equal(made.status, 200, JSON.stringify(made.json));
  return made.json.collection.uid;
}

/** The Postman calls the app made so far (method + path), from its activity log. */
async function calls(browser) {
  return browser.executeAsync((done) => {
    window.__TAURI_INTERNALS__.invoke('engine_activity', {}).then(
      (rows) => done(rows.map((r) => `${r.method} ${r.path}`)),
      (e) => done([`error ${JSON.stringify(e)}`]),
    );
  });
}

/** Opens the collection on its Tree tab. */
async function openTree(browser, name) {
  await openCollection(browser, name);
  await browser.$('[data-testid="tab-tree"]').waitForDisplayed(WAIT);
  await browser.$('[data-testid="tab-tree"]').click();
  await browser.$('[data-testid="collection-detail"] [role="tree"]').waitForDisplayed(WAIT);
}

/** textContent (getText only returns what is rendered inside the viewport). */
async function textOf(browser, selector) {
  return browser.execute((sel) => document.querySelector(sel)?.textContent ?? '', selector);
}

async function selectTreeRow(browser, name) {
  const item = await browser.$(`//*[@role="treeitem"][contains(., ${JSON.stringify(name)})]`);
  await item.waitForDisplayed(WAIT);
  await item.click();
  await browser.waitUntil(
    async () => (await textOf(browser, '[data-testid="selected-item"]')).includes(name),
    { ...WAIT, timeoutMsg: `the row "${name}" was not selected` },
  );
}

/** Chooses the tree row `from` and renames it `to` (a draft), once the tree shows the new name. */
async function renameRow(browser, from, to) {
  await selectTreeRow(browser, from);
  await renameSelected(browser, to);
  await browser.$(`//*[@role="treeitem"][contains(., ${JSON.stringify(to)})]`).waitForDisplayed(WAIT);
}

describe('collections and environments', () => {
  const app = appWithSandbox();

  /** A new collection named `prefix` and the time, open on its tree. */
  async function openNew(prefix) {
    const name = `${prefix} ${Date.now()}`;
    const uid = await newCollection(app.sb, name);
    await openTree(app.browser, name);
    return { name, uid };
  }

  it('renames a request and adds a variable; the save is on the server', async () => {
    const { browser, sb } = app;
    const { name, uid } = await openNew('E2E Orders');
    await renameRow(browser, 'Create order', 'Place order <img src=x onerror=alert(1)>');
    // Markup in a name is text: no <img> element was made.
    assert.equal(await browser.execute(() => document.querySelectorAll('main img').length), 0);
    // Move it one place down with the keyboard (Alt+↓ on the focused tree): after "Admin".
    await selectTreeRow(browser, 'Place order');
    // Explicit key actions: Alt down, ↓ down/up, Alt up (nothing left pressed).
    await browser.action('key').down('\uE00A').down('\uE015').up('\uE015').up('\uE00A').perform();
    await browser.waitUntil(
      async () =>
        (await browser.execute(() => [...document.querySelectorAll('[role="tree"] [aria-level="1"]')].map((r) => r.textContent).join('|')))
          .match(/List orders.*Admin.*Place order/) !== null,
      { ...WAIT, timeoutMsg: 'Alt+ArrowDown did not move the request below the folder' },
    );

    await browser.$('[data-testid="tab-info"]').click();
    await browser.$('[data-testid="add-variable"]').click();
    await browser.$('[data-testid="variable-key"]').waitForDisplayed(WAIT);
    const keys = await browser.$$('[data-testid="variable-key"]');
    const values = await browser.$$('[data-testid="variable-value"]');
    await keys[keys.length - 1].setValue('baseUrl');
    // Focus first, then type one key per action, as a person would.
    await values[values.length - 1].click();
    for (const ch of 'https://shop.test') await browser.keys(ch);
    assert.equal(await values[values.length - 1].getValue(), 'https://shop.test');
    // Leaving the table commits the variables.
    await browser.$('[data-testid="collection-description"]').click();
    await screenshot(browser, 'collections-edited');
    await save(browser);

    const got = (await api(sb, 'GET', `/collections/${uid}`)).json.collection;
    assert.deepEqual(got.item.map((i) => i.name), ['List orders', 'Admin', 'Place order <img src=x onerror=alert(1)>']);
    assert.deepEqual(
      (got.variable ?? []).map((v) => [v.key, v.value]),
      [['baseUrl', 'https://shop.test']],
      JSON.stringify(got.variable),
    );
    assert.deepEqual(
      got.variable.map((v) => [v.key, v.value]),
      [['baseUrl', 'https://shop.test']],
    );
    // Reload from the server: still there.
    await browser.$('[data-testid="refresh"]').click();
    await openTree(browser, name);
    await browser.$('//*[@role="treeitem"][contains(., "Place order")]').waitForDisplayed(WAIT);
  });

  it('shows both versions when the collection changed on the server meanwhile', async () => {
    const { browser, sb } = app;
    const { name, uid } = await openNew('E2E Conflict');
    await renameRow(browser, 'List orders', 'List my orders');
    // Someone else renames the collection a few seconds later (sandbox time).
    await advanceSandboxClock(sb, 5_000);
    const other = await api(sb, 'PATCH', `/collections/${uid}`, { collection: { info: { name: `${name} (theirs)` } } });
    assert.equal(other.status, 200);
    await browser.$('[data-testid="save"]').click();
    const conflict = await browser.$('[data-testid="conflict"]');
    await conflict.waitForDisplayed(WAIT);
    const text = await conflict.getText();
    assert.match(text, /List my orders/);
    assert.match(text, /\(theirs\)/);
    await screenshot(browser, 'collections-conflict');
    // Nothing was written.
    const now = (await api(sb, 'GET', `/collections/${uid}`)).json.collection;
    assert.equal(now.item[0].name, 'List orders');
    await browser.$('button=Keep mine (overwrite)').click();
    await browser.$('[data-testid="draft-badge"]').waitForDisplayed({ ...WAIT, reverse: true });
    assert.equal((await api(sb, 'GET', `/collections/${uid}`)).json.collection.item[0].name, 'List my orders');
  });

  it('refuses malformed JSON in raw mode with a clear error and sends nothing', async () => {
    const { browser, sb } = app;
    const { name, uid } = await openNew('E2E Raw');
    await browser.$('[data-testid="tab-raw"]').click();
    // Type into CodeMirror (in a shadow root): a stray character at the end of the document.
    // The editor is loaded on first use: wait for it, then focus its content.
    await browser.waitUntil(
      () =>
        browser.execute(() => {
          const host = [...document.querySelectorAll('*')].find((e) => e.shadowRoot?.querySelector('.cm-content'));
          const content = host?.shadowRoot.querySelector('.cm-content');
          if (!content || !content.textContent.includes('"info"')) return false;
          content.focus();
          return true;
        }),
      { ...WAIT, timeoutMsg: 'the JSON editor did not show the document' },
    );
    await browser.action('key').down('\uE009').down('\uE010').up('\uE010').up('\uE009').perform();
    await browser.keys(['x', 'x']);
    const before = (await calls(browser)).length;
    await browser.$('[data-testid="apply-json"]').click();
    const errors = await browser.$('[data-testid="json-errors"]');
    await errors.waitForDisplayed(WAIT);
    assert.match(await errors.getText(), /line \d+, column \d+/i);
    await screenshot(browser, 'collections-raw-error');
    const after = await calls(browser);
    // The activity log is newest first: anything new would be at the front.
    assert.deepEqual(after.slice(0, after.length - before), [], 'no call was made');
    assert.equal(await browser.$('[data-testid="draft-badge"]').isExisting(), false, 'no draft from invalid JSON');
    assert.equal((await api(sb, 'GET', `/collections/${uid}`)).json.collection.info.name, name);

    // Delete needs the exact name typed.
    await browser.$('[data-testid="delete-collection"]').click();
    const confirmName = await browser.$('[data-testid="confirm-name"]');
    await confirmName.waitForDisplayed(WAIT);
    await confirmName.setValue(name.toLowerCase());
    assert.equal(await browser.$('[data-testid="confirm-delete"]').isEnabled(), false);
    await confirmName.setValue(name);
    await browser.$('[data-testid="confirm-delete"]').click();
    await browser.waitUntil(async () => (await api(sb, 'GET', `/collections/${uid}`)).status === 404, {
      ...WAIT,
      timeoutMsg: 'the collection was not deleted',
    });
    await browser.$('[data-testid="collection-detail"]').waitForDisplayed({ ...WAIT, reverse: true });
  });

  it('masks an environment secret, also while it is edited', async () => {
    const { browser, sb } = app;
    const name = `E2E Env ${Date.now()}`;
    const ws = (await api(sb, 'GET', '/workspaces')).json.workspaces[0].id;
    const made = await api(sb, 'POST', `/environments?workspace=${ws}`, {
      environment: {
        name,
        values: [
          { key: 'baseUrl', value: 'https://shop.test', type: 'default', enabled: true },
          { key: 'token', value: 'old-secret-value', type: 'secret', enabled: true },
        ],
      },
    });
    assert.equal(made.status, 200);
    const id = made.json.environment.id;
    await (await navButton(browser, 'Environments')).click();
    await browser.$('[data-testid="environment-filter"]').setValue(name);
    const row = await browser.$(`//ul[@aria-label="Environments"]//button[contains(., ${JSON.stringify(name)})]`);
    await row.waitForDisplayed(WAIT);
    await row.click();
    await browser.$('[data-testid="environment-detail"]').waitForDisplayed(WAIT);
    const secret = await browser.$('input[aria-label="Value of variable token"]');
    await secret.waitForDisplayed(WAIT);
    assert.equal(await secret.getAttribute('type'), 'password');
    await secret.setValue('new-secret-value');
    await browser.$('[data-testid="draft-badge"]').waitForDisplayed(WAIT);
    assert.equal(await secret.getAttribute('type'), 'password', 'still masked while edited');
    const visible = await browser.execute(() => document.body.innerText);
    assert.ok(!visible.includes('new-secret-value') && !visible.includes('old-secret-value'), 'the secret is not shown as text');
    await screenshot(browser, 'environments-secret-masked');
    await save(browser);
    const env = (await api(sb, 'GET', `/environments/${id}`)).json.environment;
    assert.equal(env.values[1].value, 'new-secret-value');
    assert.equal(env.values[1].type, 'secret');
  });

  it('brings an unsaved edit back after the app is killed', async () => {
    const { name, uid } = await openNew('E2E Crash');
    await renameRow(app.browser, 'List orders', 'Survives a kill');
    // Kill the app outright (no chance to flush anything), then start it again.
    const pid = execFileSync('pgrep', ['-n', '-x', 'postdesk']).toString().trim();
    execFileSync('kill', ['-9', pid]);
    await app.browser.deleteSession().catch(() => {});
    await app.start(); // the built-in sandbox listens on a new port
    const { browser, sb } = app;
    await (await navButton(browser, 'Collections')).click();
    const banner = await browser.$('[data-testid="restored-drafts"]');
    await banner.waitForDisplayed(WAIT);
    await banner.$(`button[aria-label="Open the draft of ${name}"]`).click();
    await browser.$('//*[@role="treeitem"][contains(., "Survives a kill")]').waitForDisplayed(WAIT);
    await browser.$('[data-testid="draft-badge"]').waitForDisplayed(WAIT);
    await settle(browser);
    await screenshot(browser, 'collections-draft-restored');
    // Not on the server until saved.
    assert.equal((await api(sb, 'GET', `/collections/${uid}`)).json.collection.item[0].name, 'List orders');
    await save(browser);
    assert.equal((await api(sb, 'GET', `/collections/${uid}`)).json.collection.item[0].name, 'Survives a kill');
  });
});
