// E2E: the fault matrix. Every operation — list (Refresh), open, save, create, delete, revoke —
// under every fault of the built-in sandbox — HTTP 500, 503, a timeout, a connection reset, a
// truncated body, a 429 storm, the monthly quota used up, a 401 mid-session — in the real window:
// - a clear message appears where the operation is shown (the list's freshness line, or its
//   error when nothing was shown before; the document's open error; the save status; the create
//   panel; the delete dialog; the revoke results);
// - once the fault is gone (faults cleared, usage or key restored) the same user action works;
// - a failed write (PUT/PATCH, POST, DELETE) went out at most once per user action (counted in
//   the app's own activity log, `engine_activity`, which records every attempt it sends);
// - nothing typed is lost: after a failed save the draft is still there (tree, badge, Save, the
//   list's marker, the draft on disk) and saves once the fault is gone; a failed create keeps
//   the name typed.
// A pair whose second half (the action again, once the fault is gone) would fail because of an
// app defect is reported as two tests, the second marked todo with the reason (TODO in
// faults-support.mjs; none today: the three this suite found are fixed — the quota block now
// lifts when the user checks Usage, a save whose answer was lost is recognised as done, and a
// delete whose answer was lost is done, not "not found").
//
// The fast faults (500, 503, reset, truncate, 429 storm) are injected on the one route the
// operation's own request goes to (a save's or a delete's preliminary GET passes; the write
// itself meets the fault), one pair per test. The timeout runs the operations side by side (see
// there; run.sh gives a whole file 300 s, `--test-timeout`); the quota and the 401
// hit every route at once, one phase each, their pairs reported one by one.
//
// The sandbox has no admin route that revokes an API key, and its faults take no 401 (only 500
// or 503): the 401 comes the only way it can. The app is given a key minted through
// `/_sandbox/api-keys`, then `/_sandbox/reset` (back to the seed) makes the sandbox forget every
// minted key while the app runs. That phase works on seeded data (back, with the same ids, after
// the reset) and runs last; the key is replaced by a new one (Keys → rotate) to recover.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { admin, api, appWithSandbox } from './support.mjs';
import {
  CLIENT_TIMEOUT_MS,
  FAST_MS,
  KEY_SAYS,
  OPS,
  QUICK,
  QUOTA_SAYS,
  RELAXED,
  ROUTE,
  SLOW_WRITE_MS,
  TIMEOUT,
  TODO,
  USER,
  WAIT,
  addFault,
  assertCreateFailed,
  assertCreates,
  assertDeleteFailed,
  assertDeletes,
  assertListStale,
  assertOpenFailed,
  assertRevokeFailed,
  assertRevokes,
  assertSaveFailed,
  assertSaves,
  clearFaults,
  click,
  clickRow,
  collectionsView,
  confirmDelete,
  consumed,
  go,
  invoke,
  keyRow,
  mark,
  newCollection,
  openDoc,
  phase,
  renameRow,
  revokeKey,
  revokeOutcome,
  revokeState,
  saveAndSettle,
  sentOnce,
  sentSince,
  serverCollection,
  serverKeyStatus,
  sharingView,
  stamp,
  startDelete,
  startRevoke,
  submitCreate,
  typeNewName,
  ui,
  underFault,
  until,
} from './faults-support.mjs';


// ---------------------------------------------------------------------------------------------

describe('fault matrix', () => {
  const app = appWithSandbox();
  const stampId = Date.now().toString(36);
  const P = `FM ${stampId}`;
  /** Made through the API before the pairs: op → fault → {name, uid} (or the key id). */
  const data = { open: {}, save: {}, delete: {}, key: {} };
  let ready;
  const prepare = () =>
    (ready ??= (async () => {
      const { sb } = app;
      await admin(sb, 'POST', '/_sandbox/limits', RELAXED);
      await clearFaults(sb);
      const ids = QUICK.map((x) => x.id);
      for (const f of [...ids, 'timeout', 'quota']) {
        data.open[f] = await newCollection(sb, `${P} open ${f}`);
        data.save[f] = await newCollection(sb, `${P} save ${f}`);
        if (f !== 'timeout') data.delete[f] = await newCollection(sb, `${P} delete ${f}`);
      }
      const shared = await newCollection(sb, `${P} shared`);
      const mint = async (uid) => (await admin(sb, 'POST', '/_sandbox/access-keys', { collection: uid })).id;
      for (const f of [...ids, 'quota']) data.key[f] = await mint(shared.uid);
      // The timeout's: on the collection whose save and delete wait with it (its Share panel).
      data.key.timeout = await mint(data.save.timeout.uid);
      await collectionsView(app.browser);
    })());

  // ---- the fast faults, one pair per test --------------------------------------------------

  /** The list shown, a refresh under the fault: the freshness line says so; Retry after. */
  async function listStale(f) {
    const { browser, sb } = app;
    await underFault(sb, ROUTE.list, f.body, async () => {
      await click(browser, '[data-testid="refresh"]');
      assertListStale(await until(browser, (x) => x.loading === false, 'the refresh did not finish', FAST_MS), f.says);
    });
    await click(browser, '[data-testid="list-freshness"] button');
    const back = await until(browser, (x) => x.loading === false, 'Retry did not finish', FAST_MS);
    assert.equal(back.list, 'fresh', `Retry after the fault: ${back.listText}`);
  }

  /** Each pair in two halves: the fault (message, writes sent, nothing lost), then the same
   * action once the fault is gone; `c` carries what the second half needs. */
  const pairs = {
    open: {
      async fail(f, c) {
        const { browser, sb } = app;
        c.name = data.open[f.id].name;
        await underFault(sb, ROUTE.open, f.body, async () => {
          await stamp(browser);
          await clickRow(browser, c.name);
          assertOpenFailed(await until(browser, (x) => x.openError !== null || x.detail === c.name, 'the open did not finish', FAST_MS), f.says);
        });
      },
      async recover(f, c) {
        const { browser } = app;
        await stamp(browser);
        await click(browser, '[data-testid="open-error"] button');
        const s = await until(browser, (x) => x.openError !== null || x.detail === c.name, 'Retry did not finish', FAST_MS);
        assert.equal(s.openError, null, `Retry after the fault: ${s.openError}`);
        await until(browser, (x) => x.doc === 'fresh' && x.tree.length === 2, 'the opened collection shows no tree');
      },
    },

    save: {
      async fail(f, c) {
        const { browser, sb } = app;
        const { name, uid } = data.save[f.id];
        Object.assign(c, { uid, renamed: `List orders ${f.id}` });
        await openDoc(browser, name);
        await renameRow(browser, 'List orders', c.renamed);
        const since = await mark(browser);
        await underFault(sb, ROUTE.save, f.body, async () => {
          assertSaveFailed(await saveAndSettle(browser, FAST_MS), f.says, c.renamed);
        });
        await sentOnce(browser, since, 'PUT', `/collections/${uid}`);
        assert.equal((await sentSince(browser, since, 'PATCH', `/collections/${uid}`)).length, 0);
        if (f.beforeHandler) {
          const now = (await serverCollection(sb, uid)).json.collection;
          assert.ok(!now.item.some((i) => i.name === c.renamed), 'the refused PUT changed nothing on the server');
        }
        const drafts = (await invoke(browser, 'library_drafts')).drafts;
        assert.ok(drafts.some((d) => d.id === uid), 'the draft is kept on disk');
      },
      recover: (f, c) => assertSaves(app.browser, app.sb, c.uid, c.renamed),
    },

    create: {
      async fail(f, c) {
        const { browser, sb } = app;
        c.name = `${P} create ${f.id}`;
        await typeNewName(browser, c.name);
        const since = await mark(browser);
        await underFault(sb, ROUTE.create, f.body, async () => {
          assertCreateFailed(await submitCreate(browser, FAST_MS), f.says, c.name);
        });
        await sentOnce(browser, since, 'POST', '/collections');
        c.made = (await api(sb, 'GET', `/collections?name=${encodeURIComponent(c.name)}`)).json.collections.length;
        if (f.beforeHandler) assert.equal(c.made, 0, 'the refused POST made nothing on the server');
      },
      async recover(f, c, t) {
        const now = await assertCreates(app.browser, app.sb, c.name);
        if (c.made > 0) t.diagnostic(`the failed create had made the collection on the server: ${now} named "${c.name}" after the retry`);
      },
    },

    delete: {
      async fail(f, c, t) {
        const { browser, sb } = app;
        Object.assign(c, data.delete[f.id]);
        await openDoc(browser, c.name);
        await startDelete(browser, c.name);
        const since = await mark(browser);
        await underFault(sb, ROUTE.delete, f.body, async () => {
          assertDeleteFailed(await confirmDelete(browser, FAST_MS), f.says, c.name);
        });
        await sentOnce(browser, since, 'DELETE', `/collections/${c.uid}`);
        const there = (await serverCollection(sb, c.uid)).status;
        if (f.beforeHandler) assert.equal(there, 200, 'the refused DELETE deleted nothing on the server');
        if (there !== 200) t.diagnostic(`the failed DELETE had deleted the collection on the server (GET answers ${there})`);
      },
      recover: (f, c) => assertDeletes(app.browser, app.sb, c.name, c.uid),
    },

    revoke: {
      async fail(f, c, t) {
        const { browser, sb } = app;
        c.id = data.key[f.id];
        const since = await mark(browser);
        const s = await underFault(sb, ROUTE.revoke, f.body, () => revokeKey(browser, c.id, FAST_MS));
        await sentOnce(browser, since, 'DELETE', `/collection-access-keys/${c.id}`);
        if (f.id === 'truncate' && s.ok === 'true') {
          // A revoke answers 204 with no body: there is nothing to cut, the answer arrives whole.
          t.diagnostic('the sandbox cannot truncate an empty 204: the revoke succeeded at once');
          assert.equal(s.summary, 'Revoked 1 of 1.');
          assert.equal(await serverKeyStatus(sb, c.id), 'INACTIVE');
          c.done = true;
          return;
        }
        assertRevokeFailed(s, f.says);
        assert.equal(await serverKeyStatus(sb, c.id), 'ACTIVE', 'the key is still active on the server');
      },
      async recover(f, c) {
        if (!c.done) await assertRevokes(app.browser, app.sb, c.id);
      },
    },
  };

  for (const op of Object.keys(pairs)) {
    for (const f of QUICK) {
      const name = `${op} × ${f.id}`;
      const c = {};
      const first = async (t) => {
        await prepare();
        const where = await app.browser.execute(() => {
          if (document.querySelector('[data-testid="new-open"]')) return 'collections';
          return document.querySelector('[data-testid="revoke-selected"]') ? 'sharing' : 'other';
        });
        if (op === 'revoke' && where !== 'sharing') await sharingView(app.browser);
        if (op !== 'revoke' && where !== 'collections') await collectionsView(app.browser);
        await pairs[op].fail(f, c, t);
        c.failed = true;
      };
      if (!TODO[name]) {
        it(name, async (t) => {
          await first(t);
          await pairs[op].recover(f, c, t);
        });
      } else {
        it(name, first);
        it(`${name}: works again once the fault is gone`, { todo: TODO[name] }, async (t) => {
          assert.ok(c.failed, 'the first half of the pair did not get through');
          await pairs[op].recover(f, c, t);
        });
      }
    }
  }

  // ---- timeout, and the list under the fast faults -----------------------------------------
  // A write is sent once: held past the client's 30 s, it fails with the timeout. A read is tried
  // 3 times; held every time it would take 3 × 30 s before the app says anything, more than this
  // file may take (run.sh gives a file 300 s), so its first two attempts fail fast (503) and
  // the last is held past the timeout: what the user is told is the timeout's. The operations
  // wait side by side: the open (W1, the list's fast-fault pairs meanwhile), then save, delete,
  // revoke (from the collection's Share panel: the same RevokeFlow and RevokeStatus as the
  // Sharing view), list and create at once (W2).

  const timeoutPhase = phase(async (check) => {
    const { browser, sb } = app;
    await prepare();
    const says = TIMEOUT.says;
    const held = { ...TIMEOUT.body, times: 1 };
    const late = {};

    // W1: the open waits; the list's pairs under the fast faults run meanwhile.
    const O = data.open.timeout;
    await collectionsView(browser);
    await addFault(sb, ROUTE.open, { status: 503, times: 2 });
    await addFault(sb, '*', held);
    await stamp(browser);
    await clickRow(browser, O.name);
    await consumed(sb, [ROUTE.open, '*']);
    for (const f of QUICK) await check(`list × ${f.id}`, () => listStale(f));
    await check('open', async () => {
      assertOpenFailed(await until(browser, (x) => x.openError !== null || x.detail === O.name, 'the open did not finish', SLOW_WRITE_MS), says);
    });
    await clearFaults(sb);
    await check('open', async () => {
      await stamp(browser);
      await click(browser, '[data-testid="open-error"] button');
      const s = await until(browser, (x) => x.openError !== null || x.detail === O.name, 'Retry did not finish', FAST_MS);
      assert.equal(s.openError, null, `Retry after the fault: ${s.openError}`);
    });

    // W2: save, delete and revoke of one edited collection, the list and a create, all waiting.
    const Y = data.save.timeout;
    const key = data.key.timeout;
    const renamed = 'List orders timeout';
    const createName = `${P} create timeout`;
    await openDoc(browser, Y.name);
    await renameRow(browser, 'List orders', renamed);
    await click(browser, '[data-testid="share"]');
    await keyRow(browser, key);
    await typeNewName(browser, createName);
    await startDelete(browser, Y.name);
    const since = await mark(browser);
    await stamp(browser);
    try {
      await addFault(sb, ROUTE.delete, held);
      await click(browser, '[data-testid="confirm-delete"]');
      await consumed(sb, [ROUTE.delete]);
      await addFault(sb, ROUTE.save, held);
      await click(browser, '[data-testid="save"]');
      await consumed(sb, [ROUTE.save]);
      await addFault(sb, ROUTE.revoke, held);
      await startRevoke(browser, key);
      await consumed(sb, [ROUTE.revoke]);
      await addFault(sb, ROUTE.list, { status: 503, times: 2 });
      await addFault(sb, '*', { ...held, times: 2 });
      await click(browser, '[data-testid="refresh"]');
      await click(browser, '[data-testid="create-submit"]');
      await consumed(sb, [ROUTE.list, '*']);
    } catch (e) {
      await clearFaults(sb);
      throw e;
    }
    await check('delete', async () => {
      const s = await until(browser, (x) => !x.deleting || x.deleteBusy === false, 'the delete did not finish', SLOW_WRITE_MS);
      assertDeleteFailed(s, says, Y.name);
      await sentOnce(browser, since, 'DELETE', `/collections/${Y.uid}`);
    });
    await check('save', async () => {
      const settled = (x) => !x.saving && (!x.draft || x.conflict !== null || x.saveError !== null);
      const s = await until(browser, settled, 'the save did not finish', SLOW_WRITE_MS);
      assertSaveFailed(s, says, renamed);
      await sentOnce(browser, since, 'PUT', `/collections/${Y.uid}`);
    });
    await check('revoke', async () => {
      assertRevokeFailed(await revokeOutcome(browser, key, SLOW_WRITE_MS), says);
      await sentOnce(browser, since, 'DELETE', `/collection-access-keys/${key}`);
    });
    await check('list', async () => {
      assertListStale(await until(browser, (x) => x.loading === false, 'the refresh did not finish', SLOW_WRITE_MS), says);
    });
    await check('create', async () => {
      assertCreateFailed(await until(browser, (x) => x.createBusy !== true, 'the create did not finish', SLOW_WRITE_MS), says, createName);
      await sentOnce(browser, since, 'POST', '/collections');
    });
    await clearFaults(sb);
    // Did the sandbox still carry out a write the app had given up on? (It should not: hyper drops
    // a request whose connection closed.)
    late.save = (await serverCollection(sb, Y.uid)).json?.collection?.item.some((i) => i.name === renamed) ?? null;
    late.delete = (await serverCollection(sb, Y.uid)).status === 404;
    late.revoke = (await serverKeyStatus(sb, key)) !== 'ACTIVE';
    late.create = (await api(sb, 'GET', `/collections?name=${encodeURIComponent(createName)}`)).json.collections.length > 0;
    console.log(`# timeout: writes the sandbox still made after the app gave up: ${JSON.stringify(late)}`);

    await check('list', async () => {
      await click(browser, '[data-testid="list-freshness"] button');
      const s = await until(browser, (x) => x.loading === false, 'Retry did not finish', FAST_MS);
      assert.equal(s.list, 'fresh', `Retry after the fault: ${s.listText}`);
    });
    await check('save', () => assertSaves(browser, sb, Y.uid, renamed));
    await check('revoke', () => assertRevokes(browser, sb, key));
    await check('delete', () => assertDeletes(browser, sb, Y.name, Y.uid));
    await check('create', () => assertCreates(browser, sb, createName));

    // Nothing shown before (a new session of the key: its cache is empty): the list's own error.
    await check('list × 500', async () => {
      const f = QUICK[0];
      await invoke(browser, 'keys_set_active', { id: null });
      await go(browser, 'Keys');
      await underFault(sb, ROUTE.list, f.body, async () => {
        await go(browser, 'Collections');
        const s = await until(browser, (x) => x.loading === false, 'the first list did not finish', FAST_MS);
        assert.ok(s.listError, `no list error: ${JSON.stringify(s)}`);
        assert.match(s.listError, /^Collections could not be listed: .+ Retry$/);
        assert.match(s.listError, f.says);
        assert.equal(s.list, null, 'no freshness line without a list');
      });
      await click(browser, '[data-testid="list-error"] button');
      const s = await until(browser, (x) => x.loading === false, 'Retry did not finish', FAST_MS);
      assert.equal(s.listError, null, `Retry after the fault: ${s.listError}`);
      assert.equal(s.list, 'fresh');
      assert.ok(s.rows > 0);
    });
  });

  for (const f of QUICK) it(`list × ${f.id}`, { timeout: 170_000 }, () => timeoutPhase(`list × ${f.id}`));
  for (const op of OPS) {
    it(`${op} × timeout`, { timeout: 170_000 }, () => timeoutPhase(op));
  }

  // ---- the monthly quota used up: every call is refused (serviceLimitExhausted) -------------

  const quotaPhase = phase(async (check) => {
    const { browser, sb } = app;
    await prepare();
    const { monthly } = await admin(sb, 'GET', '/_sandbox/limits');
    const key = data.key.quota;
    const openName = data.open.quota.name;
    const del = data.delete.quota;
    const sv = data.save.quota;
    const createName = `${P} create quota`;
    const renamed = 'List orders quota';
    // What the user had on screen: the keys' pages, a collection seen (to delete), one edited.
    await sharingView(browser);
    await keyRow(browser, key);
    await collectionsView(browser);
    await openDoc(browser, del.name);
    await openDoc(browser, sv.name);
    await renameRow(browser, 'List orders', renamed);

    await admin(sb, 'POST', '/_sandbox/usage', { user: USER, usage: monthly });
    try {
      const since = await mark(browser);
      await check('save', async () => {
        assertSaveFailed(await saveAndSettle(browser, FAST_MS), QUOTA_SAYS, renamed);
        await sentOnce(browser, since, 'PUT', `/collections/${sv.uid}`, true);
      });
      await check('list', async () => {
        await click(browser, '[data-testid="refresh"]');
        assertListStale(await until(browser, (x) => x.loading === false, 'the refresh did not finish', FAST_MS), QUOTA_SAYS);
      });
      await check('create', async () => {
        await typeNewName(browser, createName);
        assertCreateFailed(await submitCreate(browser, FAST_MS), QUOTA_SAYS, createName);
        await sentOnce(browser, since, 'POST', '/collections', true);
      });
      await check('delete', async () => {
        await openDoc(browser, del.name);
        await startDelete(browser, del.name);
        assertDeleteFailed(await confirmDelete(browser, FAST_MS), QUOTA_SAYS, del.name);
        await sentOnce(browser, since, 'DELETE', `/collections/${del.uid}`, true);
      });
      await check('open', async () => {
        await stamp(browser);
        await clickRow(browser, openName);
        assertOpenFailed(await until(browser, (x) => x.openError !== null || x.detail === openName, 'the open did not finish', FAST_MS), QUOTA_SAYS);
      });
      await check('revoke', async () => {
        await sharingView(browser);
        assertRevokeFailed(await revokeKey(browser, key, FAST_MS), QUOTA_SAYS);
        await sentOnce(browser, since, 'DELETE', `/collection-access-keys/${key}`, true);
        assert.equal(await serverKeyStatus(sb, key), 'ACTIVE');
      });
    } finally {
      // The month's usage back to nothing: the key may be used again.
      await admin(sb, 'POST', '/_sandbox/usage', { user: USER, usage: 0 });
    }
    // What the Usage view's refresh (`/me` past the cache) gets now.
    const usage = await browser.executeAsync((done) =>
      window.__TAURI_INTERNALS__.invoke('engine_usage', { force: true }).then(
        () => done('was answered'),
        (e) => done(`failed: ${e?.message ?? JSON.stringify(e)}`),
      ),
    );
    // The check the user asks for goes out even though the month's calls were refused, and
    // lifts the block once Postman answers.
    assert.equal(usage, 'was answered', 'the Usage refresh after the usage was restored');

    await check('revoke again', () => assertRevokes(browser, sb, key));
    await go(browser, 'Collections');
    await until(browser, (s) => s.loading === false && s.rows > 0, 'the Collections view did not show its list');
    await check('list again', async () => {
      await click(browser, '[data-testid="refresh"]');
      const s = await until(browser, (x) => x.loading === false, 'the refresh did not finish', FAST_MS);
      assert.equal(s.list, 'fresh', `the refresh after the usage was restored: ${s.listText}`);
    });
    await check('open again', async () => {
      await stamp(browser);
      await clickRow(browser, openName);
      const s = await until(browser, (x) => x.openError !== null || x.detail === openName, 'the open did not finish', FAST_MS);
      assert.equal(s.openError, null, `the open after the usage was restored: ${s.openError}`);
    });
    await check('save again', async () => {
      await openDoc(browser, sv.name);
      const s = await ui(browser);
      assert.ok(s.draft && s.tree.some((t) => t.includes(renamed)), 'the draft is still there');
      await assertSaves(browser, sb, sv.uid, renamed);
    });
    await check('delete again', async () => {
      await openDoc(browser, del.name);
      await startDelete(browser, del.name);
      await assertDeletes(browser, sb, del.name, del.uid);
    });
    await check('create again', async () => {
      await typeNewName(browser, createName);
      await assertCreates(browser, sb, createName);
    });
    // Whatever the outcome, a fresh session of the key for what follows (it lifts a local block).
    await invoke(browser, 'keys_set_active', { id: null });
  });

  for (const op of OPS) it(`${op} × serviceLimitExhausted`, { timeout: 170_000 }, () => quotaPhase(op));
  for (const op of OPS) {
    const name = `${op} × serviceLimitExhausted`;
    it(`${name}: works again once the usage is restored`, { todo: TODO[name] }, () => quotaPhase(`${op} again`));
  }

  // ---- 401 mid-session: the app's key is refused while it runs ------------------------------

  const keyPhase = phase(async (check) => {
    const { browser, sb } = app;
    await prepare();
    // The seed again (what the earlier pairs made is gone; so are minted keys), then a minted key
    // of the same user as the app's active key.
    await admin(sb, 'POST', '/_sandbox/reset');
    await admin(sb, 'POST', '/_sandbox/limits', RELAXED);
    const me = (await api(sb, 'GET', '/me')).json.user;
    const all = (await api(sb, 'GET', '/collections')).json.collections;
    const plain = (n) => !/["\\]/.test(n) && !all.some((o) => o.name !== n && o.name.includes(n));
    const mine = all.filter((c) => String(c.owner) === String(me.id) && plain(c.name));
    let sv;
    for (const c of mine) {
      const first = (await serverCollection(sb, c.uid)).json.collection.item?.[0]?.name;
      if (first && !/["\\]/.test(first)) {
        sv = { ...c, first };
        break;
      }
    }
    assert.ok(sv, 'a seeded collection of the user with a first item');
    const [op, del] = mine.filter((c) => c.uid !== sv.uid);
    assert.ok(op && del, 'two more seeded collections of the user');
    const seededKeys = (await admin(sb, 'GET', '/_sandbox/access-keys')).data;
    const key = seededKeys.find((k) => k.status === 'ACTIVE' && String(k.userId) === String(me.id))?.id;
    assert.ok(key, 'a seeded active access key of the user');
    const renamed = `${sv.first} (401)`;
    const createName = `${P} create 401`;

    const first = (await admin(sb, 'POST', '/_sandbox/api-keys', { user: USER })).key;
    const added = await invoke(browser, 'keys_add', {
      request: { name: 'Fault matrix key', key: first, region: 'sandbox', expiresOn: null },
    });
    assert.equal((await invoke(browser, 'engine_active_key'))?.name, 'Fault matrix key');
    let activeId = added.id;
    try {
      // What the user had on screen with that key: the keys' pages, a collection seen (to
      // delete), one edited.
      await sharingView(browser);
      await keyRow(browser, key);
      await collectionsView(browser);
      await openDoc(browser, del.name);
      await openDoc(browser, sv.name);
      await renameRow(browser, sv.first, renamed);

      // The sandbox forgets the minted key: every call with it is a 401 now.
      await admin(sb, 'POST', '/_sandbox/reset');
      await admin(sb, 'POST', '/_sandbox/limits', RELAXED);
      const since = await mark(browser);
      await check('list', async () => {
        await click(browser, '[data-testid="refresh"]');
        assertListStale(await until(browser, (x) => x.loading === false, 'the refresh did not finish', FAST_MS), KEY_SAYS);
      });
      await check('save', async () => {
        assertSaveFailed(await saveAndSettle(browser, FAST_MS), KEY_SAYS, renamed);
        await sentOnce(browser, since, 'PUT', `/collections/${sv.uid}`, true);
      });
      await check('create', async () => {
        await typeNewName(browser, createName);
        assertCreateFailed(await submitCreate(browser, FAST_MS), KEY_SAYS, createName);
        await sentOnce(browser, since, 'POST', '/collections', true);
      });
      await check('delete', async () => {
        await openDoc(browser, del.name);
        await startDelete(browser, del.name);
        assertDeleteFailed(await confirmDelete(browser, FAST_MS), KEY_SAYS, del.name);
        await sentOnce(browser, since, 'DELETE', `/collections/${del.uid}`, true);
      });
      await check('open', async () => {
        await stamp(browser);
        await clickRow(browser, op.name);
        assertOpenFailed(await until(browser, (x) => x.openError !== null || x.detail === op.name, 'the open did not finish', FAST_MS), KEY_SAYS);
      });
      await check('revoke', async () => {
        await sharingView(browser);
        assertRevokeFailed(await revokeKey(browser, key, FAST_MS), KEY_SAYS);
        await sentOnce(browser, since, 'DELETE', `/collection-access-keys/${key}`, true);
        assert.equal(await serverKeyStatus(sb, key), 'ACTIVE');
      });

      const marked = (await invoke(browser, 'keys_list')).find((k) => k.id === activeId)?.status;
      console.log(`# 401: after the refusals the Keys view lists the key as "${marked}"`);

      // The user replaces the refused key with a new one of the same account (Keys → Rotate).
      const second = (await admin(sb, 'POST', '/_sandbox/api-keys', { user: USER })).key;
      await invoke(browser, 'keys_rotate', {
        oldId: activeId,
        replacement: { name: 'Fault matrix key 2', key: second, region: 'sandbox', expiresOn: null },
      });
      activeId = (await invoke(browser, 'keys_list')).find((k) => k.name === 'Fault matrix key 2')?.id;
      assert.equal((await invoke(browser, 'engine_active_key'))?.name, 'Fault matrix key 2');

      await check('revoke', async () => {
        await click(browser, '[data-testid="refresh"]');
        await assertRevokes(browser, sb, key);
      });
      // The Collections view again: its list is read with the new key, then refreshed.
      await check('list', () => collectionsView(browser));
      await check('open', () => openDoc(browser, op.name));
      await check('delete', async () => {
        await openDoc(browser, del.name);
        await startDelete(browser, del.name);
        await assertDeletes(browser, sb, del.name, del.uid);
      });
      await check('save', async () => {
        await clickRow(browser, sv.name);
        const s = await until(browser, (x) => x.detail !== null && x.tree.length > 0, `"${sv.name}" did not open`);
        assert.ok(s.draft && s.tree.some((t) => t.includes(renamed)), `the draft is not there: ${JSON.stringify(s)}`);
        // The reset that refused the key wrote the seed again: the server's copy is newer than
        // the one the edit was made on, and the app rightly asks; the edit is "mine".
        const after = await saveAndSettle(browser, 30_000);
        if (after.conflict !== null) {
          console.log('# 401: the first save with the new key showed the conflict (the reset re-dated the seed); kept mine');
          assert.match(after.conflict, new RegExp(renamed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
          await click(browser, 'button=Keep mine (overwrite)');
          await until(browser, (x) => !x.saving && !x.draft, 'keep mine did not save', 30_000);
        } else {
          assert.equal(after.saveError, null, `the save with the new key failed: ${after.saveError}`);
        }
        const got = (await serverCollection(sb, sv.uid)).json.collection;
        assert.ok(got.item.some((i) => i.name === renamed), 'the edit is on the server');
      });
      await check('create', async () => {
        await typeNewName(browser, createName);
        await assertCreates(browser, sb, createName);
      });
    } finally {
      // Back to the built-in sandbox's own key, as the app was.
      if (activeId) await invoke(browser, 'keys_delete', { id: activeId }).catch(() => {});
    }
  });

  for (const op of OPS) {
    it(`${op} × 401 mid-session`, { timeout: 170_000 }, () => keyPhase(op));
  }

  it('puts faults, limits, usage and keys back as they were', async () => {
    const { browser, sb } = app;
    await clearFaults(sb);
    await admin(sb, 'POST', '/_sandbox/usage', { user: USER, usage: 0 });
    await admin(sb, 'POST', '/_sandbox/limits', { default: true });
    for (const k of await invoke(browser, 'keys_list')) if (k.name.startsWith('Fault matrix key')) await invoke(browser, 'keys_delete', { id: k.id });
    // Drafts of this file's collections (those a todo pair left behind).
    for (const d of (await invoke(browser, 'library_drafts')).drafts.filter((x) => x.name.startsWith(P))) {
      await invoke(browser, 'library_discard', { kind: d.kind, id: d.id }).catch(() => {});
    }
    assert.equal((await invoke(browser, 'engine_active_key'))?.name.startsWith('Sandbox ('), true);
  });
});
