// E2E: trust (issue 13). Runs after the other files, so the data folder holds what a real
// session leaves there (keys.json, drafts, prefs, the activity log, the sandbox's state and
// sandbox.json, the webview's own files): every folder in it is 0700 and every file 0600.
import assert from 'node:assert/strict';
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openApp } from './support.mjs';

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
  let browser;
  before(async () => {
    browser = await openApp();
  });
  after(async () => {
    await browser?.deleteSession();
  });

  it('keeps every file in the data folder for the user alone', async () => {
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
