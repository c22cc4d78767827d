// E2E: the window stays responsive while a 20 MB collection is edited and saved. A
// requestAnimationFrame heartbeat runs in the page through a rename (the working copy is
// re-serialised and fsynced as a draft) and the save (an async PUT of the whole document and
// its task polls): no command runs on the main thread, so frames keep coming. Then a subfolder
// the view was sent without its items opens with them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { api, appWithSandbox, bigCollection, openCollection, renameSelected, save, screenshot } from './support.mjs';

const WAIT_MS = 60_000;
const WAIT = { timeout: WAIT_MS };

describe('a responsive window', () => {
  const app = appWithSandbox();

  it('keeps painting while a 20 MB collection is edited and saved', async () => {
    const { browser, sb } = app;
    const name = `E2E Big ${Date.now()}`;
    const doc = bigCollection(name, 12);
    const mb = JSON.stringify({ collection: doc }).length / 1_048_576;
    const ws = (await api(sb, 'GET', '/workspaces')).json.workspaces[0].id;
    const made = await api(sb, 'POST', `/collections?workspace=${ws}`, { collection: doc }, 120_000);
    assert.equal(made.status, 200, JSON.stringify(made.json).slice(0, 300));

    await openCollection(browser, name, WAIT_MS);
    await browser.$('[data-testid="collection-detail"] [role="tree"]').waitForDisplayed(WAIT);
    const folder = await browser.$('//*[@role="treeitem"][contains(., "Folder 0")]');
    await folder.waitForDisplayed(WAIT);

    // The heartbeat: every frame counts, the longest gap between two frames is kept.
    await browser.execute(() => {
      const hb = { frames: 0, maxGapMs: 0, last: performance.now(), on: true };
      window.__heartbeat = hb;
      const tick = (t) => {
        if (!hb.on) return;
        hb.frames += 1;
        hb.maxGapMs = Math.max(hb.maxGapMs, t - hb.last);
        hb.last = t;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    const started = Date.now();
    await folder.click();
    await renameSelected(browser, 'Folder zero', WAIT_MS);
    const edited = Date.now();
    await save(browser, WAIT_MS);
    const savedAt = Date.now();
    const hb = await browser.execute(() => {
      window.__heartbeat.on = false;
      return { frames: window.__heartbeat.frames, maxGapMs: window.__heartbeat.maxGapMs };
    });
    console.log(
      `heartbeat: ${mb.toFixed(1)} MB collection, rename ${edited - started} ms and save ${savedAt - edited} ms: ` +
        `${hb.frames} frames, longest gap ${Math.round(hb.maxGapMs)} ms`,
    );
    await screenshot(browser, 'responsive-big-saved');
    // The server has the rename.
    const server = await api(sb, 'GET', `/collections/${made.json.collection.uid}`, undefined, 60_000);
    assert.equal(server.json.collection.item[0].name, 'Folder zero');
    // Frames kept coming the whole time: a command on the main thread would stop them for as
    // long as it runs (a 20 MB draft is serialised and fsynced; the save sends it whole).
    const seconds = (savedAt - started) / 1000;
    assert.ok(hb.frames >= 10 * seconds, `only ${hb.frames} frames in ${seconds.toFixed(1)} s`);
    // (The longest gap seen here was the page taking the new view, ~0.5 s in a debug build under
    // Xvfb while the view carried all 10,110 items; since the tree comes in parts it is ~50 ms.
    // The rename alone keeps Rust busy ~2 s, which would be one frozen gap.)
    assert.ok(hb.maxGapMs < 1_500, `the window froze for ${Math.round(hb.maxGapMs)} ms`);

    // A tree this large comes in parts: the subfolders came without their 100 requests each;
    // opening one fetches them from Rust's working copy.
    const row = (text) => browser.$(`//*[@role="treeitem"][.//*[contains(@class, "name")][normalize-space() = "${text}"]]`);
    assert.equal(await (await row('Request 0.1.5')).isExisting(), false);
    await (await row('Sub 0.1')).click();
    await (await row('Request 0.1.5')).waitForDisplayed(WAIT);
    assert.equal(await (await row('Sub 0.1')).getAttribute('aria-expanded'), 'true');
    await screenshot(browser, 'responsive-big-subfolder');
  });
});
