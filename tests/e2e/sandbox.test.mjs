// E2E: the app's built-in sandbox persists in the data folder, so an edit made through its
// Postman API is still there after the app is closed and started again.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { api, openApp, sandboxOf } from './support.mjs';

describe('built-in sandbox', () => {
  it('keeps an edit across an app restart', async () => {
    const name = `E2E persisted ${Date.now()}`;
    let browser = await openApp();
    let stateFile;
    try {
      const sandbox = await sandboxOf(browser);
      stateFile = path.join(sandbox.dataDir, 'sandbox-state.json');
      const workspaces = await api(sandbox, 'GET', '/workspaces');
      const workspace = workspaces.json.workspaces[0].id;
      const created = await api(sandbox, 'POST', `/collections?workspace=${workspace}`, {
        collection: {
          info: { name, schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
          item: [{ name: 'ping', request: { method: 'GET', url: 'https://example.com/ping' } }],
        },
      });
      assert.equal(created.status, 200, JSON.stringify(created.json));
      // The write reaches the disk promptly (atomic write; bounded wait).
      const deadline = Date.now() + 5_000;
      while (!(await readFile(stateFile, 'utf8').catch(() => '')).includes(name)) {
        assert.ok(Date.now() < deadline, 'the edit did not reach the state file within 5 s');
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await browser.deleteSession();
    }

    browser = await openApp();
    try {
      const sandbox = await sandboxOf(browser);
      const found = await api(sandbox, 'GET', `/collections?name=${encodeURIComponent(name)}`);
      assert.equal(found.status, 200);
      assert.deepEqual(found.json.collections.map((c) => c.name), [name]);
    } finally {
      await browser.deleteSession();
    }
  });
});
