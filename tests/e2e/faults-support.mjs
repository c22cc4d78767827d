// The fault matrix's plumbing (tests/e2e/faults.test.mjs): the faults and what the app says to
// each, the sandbox's fault and limit routes, the app's own activity log (to count what was
// sent), and what the Collections and Sharing views show, read in one step.
import assert from 'node:assert/strict';
import { SCHEMA, admin, api, keyRow, navButton, renameSelected } from './support.mjs';

export { keyRow };

export const WAIT = { timeout: 10_000 };
export const USER = 'taylor-lee';
/** `ClientConfig::new` gives every attempt 30 s (src-tauri/client/src/client.rs). */
export const CLIENT_TIMEOUT_MS = 30_000;
/** How long an operation held past the client's timeout may take to be reported. */
export const SLOW_WRITE_MS = CLIENT_TIMEOUT_MS + 15_000;
/** Fast faults settle within this (3 attempts with backoff, or 3 Retry-After waits of 1 s). */
export const FAST_MS = 30_000;
/** Limits that never pace the suite (many list reads), with 1 s windows so that a 429 storm's
 * Retry-After is 1 s rather than the rest of a 60 s window. */
export const RELAXED = { perMinute: 1_000_000, windowMs: 1_000, heavyLimit: 1_000_000, heavyWindowMs: 1_000 };

/** `beforeHandler`: the sandbox answers (or drops the connection) before the route runs, so a
 * write under it changes nothing; a truncated answer comes after the write was made. */
export const QUICK = [
  { id: '500', body: { status: 500 }, beforeHandler: true, says: /The Postman API failed \(500\)/ },
  { id: '503', body: { status: 503 }, beforeHandler: true, says: /The Postman API failed \(503\)/ },
  { id: 'reset', body: { reset: true }, beforeHandler: true, says: /Could not reach the Postman API: .*(reset|could not be sent)/i },
  { id: 'truncate', body: { truncate: true }, says: /Could not reach the Postman API: the connection broke while the answer was arriving/ },
  { id: '429 storm', body: { storm429: true }, beforeHandler: true, says: /Rate limit reached/ },
];
export const TIMEOUT = { id: 'timeout', body: { delayMs: CLIENT_TIMEOUT_MS + 2_000 }, says: /did not answer in time/ };
export const QUOTA_SAYS = /monthly Postman API allowance .*used up/;
export const KEY_SAYS = /The API key was refused \(401\)/;
/** The route of each operation's own request (a write, or the read the operation is). */
export const ROUTE = {
  list: 'GET /collections',
  open: 'GET /collections/{id}',
  save: 'PUT /collections/{id}',
  create: 'POST /collections',
  delete: 'DELETE /collections/{id}',
  revoke: 'DELETE /collection-access-keys/{id}',
};
export const OPS = Object.keys(ROUTE);

/** Pairs whose second half (the same action once the fault is gone) cannot pass because of an
 * app defect: `op × fault` → why (none today). The assertions stay as they should be. */
export const TODO = {};

// ---------------------------------------------------------------------------------------------
// Plumbing

/** A Tauri command of the app, as the UI calls it. */
export async function invoke(browser, cmd, args = {}) {
  const r = await browser.executeAsync(
    (c, a, done) => window.__TAURI_INTERNALS__.invoke(c, a).then((ok) => done({ ok }), (error) => done({ error: error ?? 'failed' })),
    cmd,
    args,
  );
  if ('error' in r) throw new Error(`${cmd} failed: ${JSON.stringify(r.error)}`);
  return r.ok;
}

/** The app's activity log (every attempt it sent, newest first): its length now. */
export const mark = async (browser) => (await invoke(browser, 'engine_activity')).length;

/** The attempts `method path` (path without its query) sent since `since`. */
export async function sentSince(browser, since, method, path) {
  const rows = await invoke(browser, 'engine_activity');
  return rows.slice(0, rows.length - since).filter((r) => r.method === method && r.path.split('?')[0] === path);
}

/** Asserts the write went out exactly once (the fault is on it: it reached the sandbox once). */
export async function sentOnce(browser, since, method, path, atMost = false) {
  const sent = await sentSince(browser, since, method, path);
  if (atMost) assert.ok(sent.length <= 1, `${method} ${path} was sent ${sent.length} times: ${JSON.stringify(sent)}`);
  else assert.equal(sent.length, 1, `${method} ${path} should go out once, went ${sent.length} times: ${JSON.stringify(sent)}`);
}

/** Waits until the faults on `routes` were all taken (a request arrived for each). */
export async function consumed(sb, routes) {
  const deadline = Date.now() + WAIT.timeout;
  for (;;) {
    const { faults } = await admin(sb, 'GET', '/_sandbox/faults');
    if (!faults.some((f) => routes.includes(f.route))) return;
    if (Date.now() > deadline) throw new Error(`no request took the faults ${JSON.stringify(faults)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const addFault = (sb, route, body) => admin(sb, 'POST', '/_sandbox/faults', { route, ...body });
export const clearFaults = (sb) => admin(sb, 'DELETE', '/_sandbox/faults');
/** Runs `work` with the fault on `route`, clearing every fault afterwards whatever happened. */
export async function underFault(sb, route, body, work) {
  await addFault(sb, route, body);
  try {
    return await work();
  } finally {
    await clearFaults(sb);
  }
}

export const go = async (browser, label) => (await navButton(browser, label)).click();

/** Marks the messages shown now as old, so a wait sees only those the next action brings. */
export const stamp = (browser) =>
  browser.execute(() => {
    const old = ['save-error', 'open-error', 'create-error', 'list-error', 'revoke-results', 'revoke-error'];
    for (const e of document.querySelectorAll(old.map((id) => `[data-testid="${id}"]`).join())) e.dataset.fmOld = '1';
  });

/** What the Collections view shows now, in one call (textContent: also what is scrolled away). */
export function ui(browser) {
  return browser.execute(() => {
    const q = (s) => [...document.querySelectorAll(s)].find((e) => !e.dataset.fmOld) ?? null;
    const text = (s) => q(s)?.textContent.replace(/\s+/g, ' ').trim() ?? null;
    const save = q('[data-testid="save"]');
    const confirm = q('[data-testid="confirm-delete"]');
    return {
      list: q('[data-testid="list-freshness"]')?.dataset.state ?? null,
      listText: text('[data-testid="list-freshness"]'),
      listRetry: q('[data-testid="list-freshness"] button')?.textContent.trim() ?? null,
      listError: text('[data-testid="list-error"]'),
      listErrorRetry: q('[data-testid="list-error"] button')?.textContent.trim() ?? null,
      rows: document.querySelectorAll('[role="option"]').length,
      loading: q('[data-testid="refresh"]')?.disabled ?? null,
      openError: text('[data-testid="open-error"]'),
      openLoading: q('[data-testid="open-loading"]') !== null,
      detail: text('[data-testid="detail-name"]'),
      doc: q('[data-testid="document-freshness"]')?.dataset.state ?? null,
      draft: q('[data-testid="draft-badge"]') !== null,
      saveEnabled: save ? !save.disabled : null,
      saving: q('[data-testid="save-progress"]') !== null,
      saveError: text('[data-testid="save-error"]'),
      saveRetry: q('[data-testid="save-error"] button')?.textContent.trim() ?? null,
      conflict: text('[data-testid="conflict"]'),
      marker: q('[role="option"][aria-current="true"] [data-testid="unsaved-marker"]') !== null,
      tree: [...document.querySelectorAll('[data-testid="collection-detail"] [role="treeitem"]')].map((e) => e.textContent.trim()),
      status: text('[data-testid="status"]'),
      createName: q('[data-testid="new-name"]')?.value ?? null,
      createBusy: q('[data-testid="create-submit"]')?.disabled ?? null,
      createError: text('[data-testid="create-error"]'),
      deleting: q('.delete-dialog') !== null,
      deleteError: text('.delete-dialog [role="alert"]'),
      deleteBusy: confirm ? confirm.disabled : null,
    };
  });
}

/** Waits (bounded) until `pred` holds for what the window shows; returns that. */
export async function until(browser, pred, what, timeout = WAIT.timeout) {
  let last;
  try {
    await browser.waitUntil(async () => pred((last = await ui(browser))), { timeout, interval: 50 });
  } catch {
    throw new Error(`${what} (after ${timeout} ms the window showed ${JSON.stringify(last)})`);
  }
  return last;
}

/** Clicks what `selector` finds first (scrolled to the middle: the toolbar may be scrolled away). */
export async function click(browser, selector) {
  const el = await browser.$(selector);
  await el.scrollIntoView({ block: 'center' });
  await el.click();
}

/** A collection with two requests, as the user's other tools would make it. */
export async function newCollection(sb, name) {
  const r = await api(sb, 'POST', '/collections', {
    collection: {
      info: { name, schema: SCHEMA },
      item: [
        { name: 'List orders', request: { method: 'GET', url: 'https://shop.test/orders' } },
        { name: 'Create order', request: { method: 'POST', url: 'https://shop.test/orders' } },
      ],
    },
  });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return { name, uid: r.json.collection.uid };
}

export const serverCollection = (sb, uid) => api(sb, 'GET', `/collections/${uid}`);
export async function serverKeyStatus(sb, id) {
  const { data } = await admin(sb, 'GET', '/_sandbox/access-keys');
  return data.find((k) => k.id === id)?.status ?? 'missing';
}

// ---------------------------------------------------------------------------------------------
// The Collections view

/** The Collections view mounted afresh (nothing open), its list read past the cache. */
export async function collectionsView(browser) {
  await go(browser, 'Keys');
  await go(browser, 'Collections');
  await until(browser, (s) => s.loading === false && (s.rows > 0 || s.listError !== null), 'the Collections view did not show its list');
  await click(browser, '[data-testid="refresh"]');
  await until(browser, (s) => s.loading === false && s.list === 'fresh' && s.rows > 0, 'the list did not refresh');
}

/** Clicks the list row of `name` (found through the search box). */
export async function clickRow(browser, name) {
  const search = await browser.$('input[type="search"]');
  await search.waitForDisplayed(WAIT);
  await search.setValue(name);
  const row = await browser.$(`//*[@role="option"][contains(., ${JSON.stringify(name)})]`);
  await row.waitForDisplayed(WAIT);
  await row.click();
}

/** Opens `name` and waits for its document. */
export async function openDoc(browser, name) {
  await clickRow(browser, name);
  return until(browser, (s) => s.detail === name && s.tree.length > 0, `"${name}" did not open`);
}

/** Renames the tree row `from` (a draft then). */
export async function renameRow(browser, from, to) {
  const item = await browser.$(`//*[@role="treeitem"][contains(., ${JSON.stringify(from)})]`);
  await item.waitForDisplayed(WAIT);
  await item.click();
  await browser.waitUntil(
    async () => (await browser.execute(() => document.querySelector('[data-testid="selected-item"]')?.textContent ?? '')).includes(from),
    { ...WAIT, timeoutMsg: `the row "${from}" was not selected` },
  );
  await renameSelected(browser, to);
  await until(browser, (s) => s.tree.some((t) => t.includes(to)), `the tree does not show "${to}"`);
}

/** Clicks Save and waits for its outcome: saved, a conflict, or a new failure. */
export async function saveAndSettle(browser, timeout) {
  await stamp(browser);
  await click(browser, '[data-testid="save"]');
  return until(browser, (s) => !s.saving && (!s.draft || s.conflict !== null || s.saveError !== null), 'the save did not finish', timeout);
}

/** After a refresh that failed: the rows stay, the freshness line says why, with Retry. */
export function assertListStale(s, says) {
  assert.equal(s.list, 'stale', `the freshness line should say the refresh failed: ${JSON.stringify(s)}`);
  assert.match(s.listText, /^Could not refresh: .+ — showing the copy from \S.* Retry$/);
  assert.match(s.listText, says);
  assert.equal(s.listRetry, 'Retry');
  assert.ok(s.rows > 0, 'the rows shown before are still shown');
}

export function assertOpenFailed(s, says) {
  assert.ok(s.openError, `no open error: ${JSON.stringify(s)}`);
  assert.match(s.openError, /^The collection could not be opened: .+ Retry$/);
  assert.match(s.openError, says);
}

export function assertSaveFailed(s, says, renamed) {
  assert.ok(s.saveError, `no save error: ${JSON.stringify(s)}`);
  assert.match(s.saveError, /^Not saved: .+ Your draft is kept\.\s*Retry$/);
  assert.match(s.saveError, says);
  assert.equal(s.conflict, null, 'a failure is not a conflict');
  // Nothing typed is lost: the edit, the badge, Save, the list's marker.
  assert.ok(s.draft, 'the draft badge is still shown');
  assert.equal(s.saveEnabled, true, 'Save can be pressed again');
  assert.ok(s.marker, 'the list still marks the collection unsaved');
  assert.ok(s.tree.some((t) => t.includes(renamed)), `the tree lost the edit: ${JSON.stringify(s.tree)}`);
}

/** Saves after the fault is gone; asserts the edit is on the server and the draft gone. */
export async function assertSaves(browser, sb, uid, renamed) {
  const s = await saveAndSettle(browser, 30_000);
  assert.equal(s.conflict, null, `the save after the fault showed a conflict (the server has what was sent): ${s.conflict?.slice(0, 300)}`);
  assert.equal(s.saveError, null, `the save after the fault failed: ${s.saveError}`);
  assert.equal(s.draft, false);
  assert.match(s.status ?? '', /^Saved ".+" \(/);
  const got = (await serverCollection(sb, uid)).json.collection;
  assert.ok(
    got.item.some((i) => i.name === renamed),
    `the server does not have the edit: ${JSON.stringify(got.item.map((i) => i.name))}`,
  );
  assert.ok(!s.marker, 'the list no longer marks it unsaved');
}

/** Opens the New collection panel (if closed) and types `name`. */
export async function typeNewName(browser, name) {
  if ((await ui(browser)).createName === null) await click(browser, '[data-testid="new-open"]');
  const input = await browser.$('[data-testid="new-name"]');
  await input.waitForDisplayed(WAIT);
  await input.setValue(name);
}

export async function submitCreate(browser, timeout) {
  await stamp(browser);
  await click(browser, '[data-testid="create-submit"]');
  return until(browser, (s) => s.createBusy !== true, 'the create did not finish', timeout);
}

export function assertCreateFailed(s, says, name) {
  assert.ok(s.createError, `no create error: ${JSON.stringify(s)}`);
  assert.match(s.createError, says);
  assert.equal(s.createName, name, 'the name typed is kept');
}

export async function assertCreates(browser, sb, name) {
  const s = await submitCreate(browser, 30_000);
  assert.equal(s.createError, null, `the create after the fault failed: ${s.createError}`);
  assert.equal(s.createName, null, 'the panel closed');
  // (The status line said "Created …" until the new collection opened: opening clears it.)
  await until(browser, (x) => x.detail === name, `"${name}" was not opened after it was created`);
  const found = (await api(sb, 'GET', `/collections?name=${encodeURIComponent(name)}`)).json.collections;
  assert.ok(found.length >= 1, 'the collection is on the server');
  return found.length;
}

/** Opens the delete dialog of the open collection and types its name. */
export async function startDelete(browser, name) {
  if (!(await ui(browser)).deleting) await click(browser, '[data-testid="delete-collection"]');
  const input = await browser.$('[data-testid="confirm-name"]');
  await input.waitForDisplayed(WAIT);
  await input.setValue(name);
}

export async function confirmDelete(browser, timeout) {
  await stamp(browser);
  await click(browser, '[data-testid="confirm-delete"]');
  return until(browser, (s) => !s.deleting || s.deleteBusy === false, 'the delete did not finish', timeout);
}

export function assertDeleteFailed(s, says, name) {
  assert.ok(s.deleting && s.deleteError, `no error in the delete dialog: ${JSON.stringify(s)}`);
  assert.match(s.deleteError, says);
  assert.equal(s.detail, name, 'the collection is still shown');
}

export async function assertDeletes(browser, sb, name, uid) {
  const s = await confirmDelete(browser, 30_000);
  assert.equal(s.deleteError, null, `the delete after the fault failed: ${s.deleteError}`);
  assert.equal(s.deleting, false);
  await until(browser, (x) => x.detail === null && x.status === `Deleted "${name}".`, 'the collection is still shown after the delete');
  assert.equal((await serverCollection(sb, uid)).status, 404, 'the collection is gone from the server');
}

// ---------------------------------------------------------------------------------------------
// The Sharing view

/** The Sharing view mounted afresh, its first page of keys shown. */
export async function sharingView(browser) {
  await go(browser, 'Keys');
  await go(browser, 'Sharing');
  await browser.waitUntil(
    () => browser.execute(() => document.querySelector('[data-testid="access-key-row"], [data-testid="sharing-error"]') !== null),
    { ...WAIT, timeoutMsg: 'the Sharing view listed no access keys' },
  );
}

export function revokeState(browser, id) {
  return browser.execute((key) => {
    const q = (s) => [...document.querySelectorAll(s)].find((e) => !e.dataset.fmOld) ?? null;
    const res = q('[data-testid="revoke-results"]');
    const li = res?.querySelector(`[data-testid="revoke-result"][data-key-id="${key}"]`);
    return {
      running: document.querySelector('[data-testid="revoke-progress"]') !== null,
      summary: res?.querySelector('.summary')?.textContent.trim() ?? null,
      ok: li?.dataset.ok ?? null,
      line: li?.textContent.replace(/\s+/g, ' ').trim() ?? null,
      error: q('[data-testid="revoke-error"]')?.textContent.trim() ?? null,
      status: document.querySelector(`[data-testid="access-key-row"][data-key-id="${key}"]`)?.dataset.status ?? null,
    };
  }, id);
}

/** Presses the key's row Revoke button and confirms. */
export async function startRevoke(browser, id) {
  const row = await keyRow(browser, id);
  await stamp(browser);
  const button = await row.$('[data-testid="revoke"]');
  await button.scrollIntoView({ block: 'center' });
  await button.click();
  await click(browser, '[data-testid="confirm-revoke"]');
}

/** Revokes the key through its row's Revoke button and the confirmation; returns the outcome. */
export async function revokeKey(browser, id, timeout) {
  await startRevoke(browser, id);
  return revokeOutcome(browser, id, timeout);
}

export async function revokeOutcome(browser, id, timeout) {
  let s;
  await browser
    .waitUntil(async () => {
      s = await revokeState(browser, id);
      return !s.running && (s.ok !== null || s.error !== null);
    }, { timeout, interval: 50 })
    .catch(() => {
      throw new Error(`the revoke did not finish: ${JSON.stringify(s)}`);
    });
  return s;
}

export function assertRevokeFailed(s, says) {
  assert.equal(s.ok, 'false', `the key should be reported not revoked: ${JSON.stringify(s)}`);
  assert.match(s.line, /: not revoked — /);
  assert.match(s.line, says);
  assert.equal(s.summary, 'Revoked 0 of 1; 1 key could not be revoked.');
}

export async function assertRevokes(browser, sb, id) {
  const s = await revokeKey(browser, id, 30_000);
  assert.equal(s.ok, 'true', `the revoke after the fault failed: ${JSON.stringify(s)}`);
  assert.equal(s.summary, 'Revoked 1 of 1.');
  assert.equal(await serverKeyStatus(sb, id), 'INACTIVE', 'the key is revoked on the server');
  await browser.waitUntil(async () => (await revokeState(browser, id)).status === 'inactive', {
    ...WAIT,
    timeoutMsg: 'the row does not show the key inactive',
  });
}

// ---------------------------------------------------------------------------------------------
// Phases: one run for several pairs (the first pair to be checked starts it); each pair's first
// failure is kept apart and reported by that pair.

export function phase(body) {
  let run;
  const failed = new Map();
  const check = async (op, work) => {
    if (failed.has(op)) return;
    try {
      await work();
    } catch (e) {
      failed.set(op, e);
    }
  };
  return async (op) => {
    run ??= body(check);
    await run;
    if (failed.has(op)) throw failed.get(op);
  };
}
