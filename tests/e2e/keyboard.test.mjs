// E2E: the keyboard alone (issue 16). Add a key, open a collection, rename a request, save, share
// it and revoke the new access key with key presses only — no click, no script setting a value.
// At every Tab the focused element shows a focus ring; what opens in place (the key form, the
// rename form, the Share panel, the revoke confirmation, the delete dialog, Preferences) takes the
// focus, Escape closes it, and the focus goes back to the control that opened it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SCHEMA, admin, api, openApp, sandboxOf, screenshot } from './support.mjs';

const WAIT = { timeout: 10_000 };
const CTRL = '\uE009';

/** What has the focus, and whether it is drawn with a ring (outline or box-shadow). */
async function focused(browser) {
  return browser.execute(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body', ring: false };
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1;
    return {
      tag: el.tagName.toLowerCase(),
      name: (el.getAttribute('aria-label') || el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 80),
      testid: el.getAttribute('data-testid'),
      role: el.getAttribute('role'),
      ring: outline || (s.boxShadow !== 'none' && s.boxShadow !== ''),
      ringColour: s.outlineColor,
    };
  });
}

/** Presses Tab (Shift+Tab with `back`) until `wanted(focus)`; every stop must show its ring. */
async function tabTo(browser, wanted, what, { back = false, max = 120 } = {}) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    if (back) await browser.action('key').down('\uE008').down('\uE004').up('\uE004').up('\uE008').perform();
    else await browser.keys('Tab');
    const f = await focused(browser);
    seen.push(f.testid ?? f.name);
    if (process.env.POSTDESK_E2E_DEBUG) console.log('    tab:', JSON.stringify(f));
    assert.ok(f.ring, `no visible focus ring on ${JSON.stringify(f)} (on the way to ${what})`);
    if (wanted(f)) return f;
  }
  throw new Error(`Tab never reached ${what}; it went through: ${seen.join(' | ')}`);
}

/** Says where the journey is (a failure's output then shows the last step reached). */
const step = (what) => console.log(`  · ${what}`);

const byTestId = (id) => (f) => f.testid === id;
const byName = (name) => (f) => f.name === name;

async function expectFocus(browser, wanted, what) {
  await browser.waitUntil(async () => wanted(await focused(browser)), {
    ...WAIT,
    timeoutMsg: `the focus is not on ${what}: ${JSON.stringify(await focused(browser))}`,
  });
}

/** An element's text (getText reads only what is inside the viewport). */
const textOf = (browser, selector) => browser.execute((sel) => document.querySelector(sel)?.textContent.trim() ?? '', selector);

/** Types text one key at a time, as a person would. */
async function type(browser, text) {
  for (const ch of text) await browser.keys(ch);
}

/** Ctrl+`key` (select all, view shortcuts). */
const ctrl = (browser, key) => browser.action('key').down(CTRL).down(key).up(key).up(CTRL).perform();

describe('the keyboard alone', () => {
  it('adds a key, opens a collection, renames a request, saves, shares and revokes', async () => {
    const browser = await openApp();
    try {
      const sb = await sandboxOf(browser);
      const name = `Keyboard ${Date.now()}`;
      const made = await api(sb, 'POST', '/collections', {
        collection: {
          info: { name, schema: SCHEMA },
          item: [
            { name: 'List orders', request: { method: 'GET', url: 'https://shop.test/orders' } },
            { name: 'Create order', request: { method: 'POST', url: 'https://shop.test/orders' } },
          ],
        },
      });
      assert.equal(made.status, 200);
      const uid = made.json.collection.uid;
      const minted = (await admin(sb, 'POST', '/_sandbox/api-keys', { user: 'taylor-lee' })).key;

      // The first stop is the skip link; then on to the first-run screen's button.
      step('The first stop is the skip link; then on to the first-run sc');
      const first = await tabTo(browser, () => true, 'the first stop');
      assert.equal(first.name, 'Skip to content');
      await tabTo(browser, byName('Add your Postman API key'), 'the add-key button');
      await browser.keys('Enter');
      // The form takes the focus on its key field.
      step('The form takes the focus on its key field.');
      await expectFocus(browser, byName('API key'), 'the API key field');
      await type(browser, minted);
      await tabTo(browser, byName('Key name'), 'the name field');
      await type(browser, 'Keyboard key');
      await tabTo(browser, byName('Region'), 'the region');
      // A closed select steps through its options with the arrow keys: US, EU, built-in sandbox.
      step('A closed select steps through its options with the arrow key');
      await browser.keys(['ArrowDown']);
      await browser.keys(['ArrowDown']);
      assert.equal(await browser.execute(() => document.activeElement.value), 'sandbox');
      await tabTo(browser, byName('Verify and add'), 'the submit button');
      await browser.keys('Enter');
      await browser.$('tr[data-key-name="Keyboard key"]').waitForDisplayed(WAIT);
      await browser.waitUntil(async () => (await textOf(browser, '[data-testid="active-key"]')) === 'Keyboard key', WAIT);
      // The form is gone: the focus is on the view, not lost on <body>.
      step('The form is gone: the focus is on the view, not lost on <bod');
      assert.notEqual((await focused(browser)).tag, 'body');

      // Preferences: a modal dialog; Escape closes it and the focus goes back to its button.
      step('Preferences: a modal dialog; Escape closes it and the focus ');
      await tabTo(browser, byTestId('open-preferences'), 'the Preferences button');
      await browser.keys('Enter');
      await browser.$('[data-testid="preferences"]').waitForDisplayed(WAIT);
      assert.ok(await browser.execute(() => document.querySelector('[data-testid="preferences"]').contains(document.activeElement)), 'the focus is in the dialog');
      await browser.keys('Escape');
      await browser.$('[data-testid="preferences"]').waitForDisplayed({ ...WAIT, reverse: true });
      await expectFocus(browser, byTestId('open-preferences'), 'the Preferences button');

      // Collections (Ctrl+2): search, Enter opens the first match.
      step('Collections (Ctrl+2): search, Enter opens the first match.');
      await ctrl(browser, '2');
      await browser.$('input[type="search"]').waitForDisplayed(WAIT);
      await tabTo(browser, byTestId('refresh'), 'Refresh');
      await browser.keys('Enter');
      await browser.$('[data-testid="list-loading"]').waitForDisplayed({ ...WAIT, reverse: true });
      await tabTo(browser, byName('Search collections by name'), 'the search field');
      await type(browser, name);
      await browser.$(`//*[@role="option"][contains(., ${JSON.stringify(name)})]`).waitForDisplayed(WAIT);
      await browser.keys('Enter');
      await browser.$('[data-testid="collection-detail"]').waitForDisplayed(WAIT);

      // The Tree tab (arrow keys move between tabs; Home is the first, Tree), then the tree.
      step('The Tree tab (arrow keys move between tabs; Home is the firs');
      await tabTo(browser, (f) => f.role === 'tab', 'the tabs');
      await browser.keys('Home');
      await expectFocus(browser, byTestId('tab-tree'), 'the Tree tab');
      await tabTo(browser, (f) => f.role === 'tree', 'the tree');
      await browser.keys('ArrowDown');
      await browser.keys('Enter');
      await browser.waitUntil(async () => (await textOf(browser, '[data-testid="selected-item"]')) === 'Selected: Create order', {
        ...WAIT,
        timeoutMsg: 'Enter on the second row did not choose "Create order"',
      });
      await screenshot(browser, 'keyboard-tree');

      // Rename (back up to the toolbar): the form takes the focus, Enter applies, focus returns.
      step('Rename (back up to the toolbar): the form takes the focus, E');
      await tabTo(browser, byTestId('rename-item'), 'Rename', { back: true });
      await browser.keys('Enter');
      await expectFocus(browser, byTestId('item-name'), 'the new-name field');
      await ctrl(browser, 'a');
      await type(browser, 'Place order');
      await browser.keys('Enter');
      await browser.$('[data-testid="draft-badge"]').waitForDisplayed(WAIT);
      await expectFocus(browser, byTestId('rename-item'), 'Rename again');

      // Save.
      step('Save.');
      await tabTo(browser, byTestId('save'), 'Save', { back: true });
      await browser.keys('Enter');
      await browser.$('[data-testid="draft-badge"]').waitForDisplayed({ ...WAIT, reverse: true });
      const saved = (await api(sb, 'GET', `/collections/${uid}`)).json.collection;
      assert.deepEqual(saved.item.map((i) => i.name), ['List orders', 'Place order']);

      // The delete dialog: focus on its name field, Escape closes it, focus back on Delete.
      step('The delete dialog: focus on its name field, Escape closes it');
      await tabTo(browser, byTestId('delete-collection'), 'Delete');
      await browser.keys('Enter');
      await expectFocus(browser, byTestId('confirm-name'), 'the name to type');
      await browser.keys('Escape');
      await browser.$('[data-testid="confirm-name"]').waitForDisplayed({ ...WAIT, reverse: true });
      await expectFocus(browser, byTestId('delete-collection'), 'Delete again');

      // Share: the panel takes the focus; a new key; revoke it from the panel.
      step('Share: the panel takes the focus; a new key; revoke it from ');
      await tabTo(browser, byTestId('share'), 'Share', { back: true });
      await browser.keys('Enter');
      await expectFocus(browser, byTestId('share-panel'), 'the Share panel');
      await tabTo(browser, byTestId('mint-key'), 'the new-key button');
      await browser.keys('Enter');
      const link = await browser.$('[data-testid="share-link"]');
      await link.waitForDisplayed(WAIT);
      const last4 = (await textOf(browser, '[data-testid="share-link"]')).match(/access_key=PMAT-…(\w{4})/)[1];
      const keys = (await api(sb, 'GET', `/collection-access-keys?collectionId=${uid}`)).json.data;
      assert.equal(keys.length, 1);
      await tabTo(browser, byName(`Revoke PMAT-…${last4}`), 'the Revoke button of the new key');
      await browser.keys('Enter');
      // The confirmation takes the focus on its Revoke button; Escape cancels it, focus returns.
      step('The confirmation takes the focus on its Revoke button; Escap');
      await expectFocus(browser, byTestId('confirm-revoke'), 'the confirmation');
      await browser.keys('Escape');
      await browser.$('[data-testid="revoke-confirm"]').waitForDisplayed({ ...WAIT, reverse: true });
      await expectFocus(browser, byName(`Revoke PMAT-…${last4}`), 'the Revoke button again');
      await browser.keys('Enter');
      await expectFocus(browser, byTestId('confirm-revoke'), 'the confirmation');
      await browser.keys('Enter');
      await browser.$('[data-testid="revoke-results"]').waitForDisplayed({ timeout: 15_000 });
      assert.notEqual((await focused(browser)).tag, 'body', 'the focus is not lost once the confirmation is gone');
      const after = (await api(sb, 'GET', `/collection-access-keys?collectionId=${uid}`)).json.data;
      assert.ok(after.every((k) => k.id !== keys[0].id || k.status !== 'ACTIVE'), JSON.stringify(after));
      await screenshot(browser, 'keyboard-revoked');

      // The results take the focus (inside the panel): Escape closes it, the focus goes back to Share.
      step('The results take the focus (inside the panel): Escape closes');
      await expectFocus(browser, (f) => f.testid === 'revoke-results', 'the revoke results');
      await browser.keys('Escape');
      await browser.$('[data-testid="share-panel"]').waitForDisplayed({ ...WAIT, reverse: true });
      await expectFocus(browser, byTestId('share'), 'Share again');

      // Back to the first-run state for the files after this one.
      step('Back to the first-run state for the files after this one.');
      await ctrl(browser, '1');
      await tabTo(browser, byName('Delete Keyboard key'), 'Delete of the key');
      await browser.keys('Enter');
      await expectFocus(browser, byName('Delete'), 'the confirmation');
      await browser.keys('Enter');
      await browser.$('[aria-label="Get started"]').waitForDisplayed(WAIT);
    } finally {
      await browser.deleteSession();
    }
  });
});
