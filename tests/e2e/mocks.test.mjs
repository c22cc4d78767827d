// E2E: mock servers (issue 18) in the real window against the built-in sandbox. A mock made from
// a collection with saved examples (its detail's "Mock it", then the Mocks view's form); its URL
// copied (Rust writes the X clipboard; read here with xclip) and fetched with curl, which gets
// the example's body; the same request tried in the app, which names the example; switched to
// errors (curl gets the 503) and back; the calls in the call-log view with the right example
// names, exported as CSV; then the same collection run locally and fetched with curl while
// every call to the API is reset (the sandbox's faults): a local mock needs no API.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { SCHEMA, admin, api, heading, openApp, openCollection, sandboxOf, screenshot } from './support.mjs';

const WAIT = { timeout: 15_000 };
const clipboard = () => execFileSync('xclip', ['-selection', 'clipboard', '-o'], { timeout: 5_000 }).toString();

/** `curl` as a user's script would call the mock: status and body, bounded. */
function curl(url, headers = []) {
  const args = ['-s', '--max-time', '10', '-o', '-', '-w', '\n%{http_code}'];
  for (const h of headers) args.push('-H', h);
  const out = execFileSync('curl', [...args, url], { timeout: 15_000 }).toString();
  const at = out.lastIndexOf('\n');
  return { status: Number(out.slice(at + 1)), body: out.slice(0, at) };
}

function example(name, code, path, body) {
  return {
    name,
    code,
    originalRequest: { method: 'GET', url: `{{url}}${path}` },
    header: [{ key: 'Content-Type', value: 'application/json' }],
    body,
  };
}

describe('mocks', () => {
  it('serves a collection from a mock, switches it to errors, keeps its calls, and runs it locally without the API', async () => {
    const stamp = Date.now();
    const name = `E2E mock ${stamp}`;
    const collection = `E2E pets ${stamp}`;
    const browser = await openApp();
    let sb;
    try {
      sb = await sandboxOf(browser);
      const made = await api(sb, 'POST', '/collections', {
        collection: {
          info: { name: collection, schema: SCHEMA },
          variable: [{ key: 'url', value: 'https://pets.example.com' }],
          item: [
            { name: 'List pets', request: { method: 'GET', url: '{{url}}/pets' }, response: [example('All pets', 200, '/pets', '[{"id":1},{"id":2}]')] },
            { name: 'Get pet', request: { method: 'GET', url: '{{url}}/pets/{{petId}}' }, response: [example('One pet', 200, '/pets/{{petId}}', '{"id":"{{petId}}"}')] },
          ],
        },
      });
      assert.equal(made.status, 200, JSON.stringify(made.json));
      const uid = made.json.collection.uid;

      // Create it from the collection's detail ("Mock it" opens the Mocks view's form on it;
      // public: curl calls it without a key).
      await openCollection(browser, collection);
      await browser.$('[data-testid="mock-collection"]').click();
      const picker = await browser.$('[data-testid="mock-form-collection"]');
      await browser.waitUntil(async () => (await picker.getValue()) === uid, {
        ...WAIT,
        timeoutMsg: 'the Mocks form is not on the collection',
      });
      assert.equal(await (await heading(browser)).getText(), 'Mocks');
      await browser.$('[data-testid="mock-form-name"]').setValue(name);
      const priv = await browser.$('[data-testid="mock-form-private"]');
      if (await priv.isSelected()) await priv.click();
      await browser.$('[data-testid="mock-form-save"]').click();
      const mocks = await api(sb, 'GET', '/mocks');
      let mine;
      await browser.waitUntil(
        async () => {
          mine = (await api(sb, 'GET', '/mocks')).json.mocks.find((m) => m.name === name);
          return Boolean(mine);
        },
        { ...WAIT, timeoutMsg: `the mock was not created (${JSON.stringify(mocks.json)})` },
      );
      const row = await browser.$(`[data-testid="mock-row"][data-mock-id="${mine.id}"]`);
      await row.waitForExist(WAIT);
      assert.match(await row.getText(), new RegExp(collection));
      // A new mock is selected once made; the name selects it (again: unselects it).
      const detail = await browser.$(`[data-testid="mock-detail"][data-mock-id="${mine.id}"]`);
      await browser.waitUntil(async () => (await row.$('[data-testid="mock-select"]').getAttribute('aria-pressed')) === 'true', {
        ...WAIT,
        timeoutMsg: 'the new mock is not selected',
      });
      await detail.waitForExist(WAIT);
      await screenshot(browser, 'mocks-detail');

      // Copy its URL (Rust writes the clipboard) and fetch it with curl.
      await detail.$('[data-testid="mock-copy-url"]').click();
      await browser.waitUntil(() => clipboard().includes(`/_mock/${mine.id}`), { ...WAIT, timeoutMsg: 'the URL never reached the clipboard' });
      const url = clipboard().trim();
      assert.equal(url, mine.mockUrl);
      const all = curl(`${url}/pets`);
      assert.equal(all.status, 200, all.body);
      assert.deepEqual(JSON.parse(all.body), [{ id: 1 }, { id: 2 }]);

      // Try it in the app: the example that answered is named.
      await detail.$('[data-testid="mock-try-path"]').setValue('/pets/7');
      await detail.$('[data-testid="mock-try-send"]').click();
      const status = await detail.$('[data-testid="mock-try-status"]');
      await browser.waitUntil(async () => /200/.test(await status.getText()), { ...WAIT, timeoutMsg: 'try it shows no 200' });
      const by = await detail.$('[data-testid="mock-try-answered-by"]');
      await browser.waitUntil(async () => /One pet/.test(await by.getText()), { ...WAIT, timeoutMsg: 'try it does not name the example' });
      assert.match(await detail.$('[data-testid="mock-try-body"]').getText(), /"7"/);

      // Switch to errors: curl gets the 503; then back to the examples.
      await detail.$('[data-testid="mock-errors-status"]').selectByAttribute('value', '503');
      await detail.$('[data-testid="mock-errors-on"]').click();
      await browser.waitUntil(async () => curl(`${url}/pets`).status === 503, { ...WAIT, timeoutMsg: 'the mock never answered 503' });
      await detail.$('[data-testid="mock-errors-off"]').waitForExist(WAIT);
      await screenshot(browser, 'mocks-errors');
      await detail.$('[data-testid="mock-errors-off"]').click();
      await browser.waitUntil(async () => curl(`${url}/pets`).status === 200, { ...WAIT, timeoutMsg: 'the mock never came back to its examples' });

      // The call log: every call, with the example (or error response) that answered it.
      const callRows = () => detail.$$('[data-testid="mock-call-row"]');
      await detail.$('[data-testid="mock-calls-refresh"]').click();
      await browser.waitUntil(async () => (await callRows().length) >= 4, {
        ...WAIT,
        timeoutMsg: 'the call log does not show the calls',
      });
      await detail.$('[data-testid="mock-calls"]').scrollIntoView();
      await screenshot(browser, 'mocks-calls');
      // The rows' text in one command (WebKitWebDriver drops the session on concurrent ones).
      const calls = await browser.execute(() =>
        [...document.querySelectorAll('[data-testid="mock-detail"] [data-testid="mock-call-row"]')].map((r) => r.textContent),
      );
      assert.ok(calls.some((c) => /All pets/.test(c)), calls.join('\n'));
      assert.ok(calls.some((c) => /One pet/.test(c)), calls.join('\n'));
      assert.ok(calls.some((c) => /503/.test(c)), calls.join('\n'));
      await detail.$('[data-testid="mock-calls-export-csv"]').click();
      const saved = await detail.$('[data-testid="mock-export-path"]');
      await browser.waitUntil(async () => /-calls\.csv/.test(await saved.getText()), { ...WAIT, timeoutMsg: 'the export does not say where it went' });
      const file = (await saved.getText()).replace(/^Saved to /, '');
      const csv = (await readFile(file, 'utf8')).trim().split('\n');
      assert.match(csv[0], /^id,servedAt,method,path,status,responseType,responseName/);
      assert.ok(csv.length >= 5, csv.join('\n'));
      assert.ok(csv.some((l) => l.includes('All pets')), csv.join('\n'));

      // Run the same collection locally, then cut the API off: the local mock still answers.
      await browser.$('[data-testid="local-collection"]').selectByAttribute('value', uid);
      await browser.$('[data-testid="local-start"]').click();
      const local = await browser.$('[data-testid="local-url"]');
      await local.waitForExist(WAIT);
      const localUrl = (await local.getText()).trim();
      assert.match(localUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      await admin(sb, 'POST', '/_sandbox/faults', { route: '*', reset: true });
      const cut = await api(sb, 'GET', '/me').catch((e) => e);
      assert.ok(cut instanceof Error, 'the API is cut off');
      const offline = curl(`${localUrl}/pets/3`);
      assert.equal(offline.status, 200, offline.body);
      assert.deepEqual(JSON.parse(offline.body), { id: '3' });
      await screenshot(browser, 'mocks-local');
      await admin(sb, 'DELETE', '/_sandbox/faults');
      await browser.$('[data-testid="local-stop"]').click();
      await browser.waitUntil(async () => (await browser.$$('[data-testid="local-row"]').length) === 0, {
        ...WAIT,
        timeoutMsg: 'the local mock is still listed',
      });
      assert.throws(() => curl(`${localUrl}/pets`), 'nothing listens any more');
    } finally {
      if (sb) await admin(sb, 'DELETE', '/_sandbox/faults').catch(() => {});
      await browser.deleteSession();
    }
  });
});
