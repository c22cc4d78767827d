// E2E: accessibility (issue 16). axe-core's WCAG 2.1 A/AA rules on every view and on each view's
// main states, in the light and in the dark theme (the second driver's desktop is dark): the
// first-run screen, the key form with an error, the keys table, Preferences, the collection list,
// a collection open on its tree, the request editor, the raw JSON tab, the conflict view, the
// delete dialog, the share panel, the Sharing view, a revoke in progress, Environments with one
// open, Usage and Activity. No serious or critical violation anywhere; every scan is kept in
// target/e2e/a11y/.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertAccessible } from './a11y-support.mjs';
import { addFault, clearFaults } from './faults-support.mjs';
import { SCHEMA, admin, advanceSandboxClock, api, keyRow, navButton, openApp, openCollection, paste, sandboxOf, screenshot } from './support.mjs';

const WAIT = { timeout: 10_000 };

async function newCollection(sb, name) {
  const made = await api(sb, 'POST', '/collections', {
    collection: {
      info: { name, schema: SCHEMA, description: 'Orders of the shop, for the accessibility check.' },
      variable: [{ key: 'baseUrl', value: 'https://shop.test' }],
      item: [
        { name: 'List orders', request: { method: 'GET', url: 'https://shop.test/orders' } },
        {
          name: 'Create order',
          request: {
            method: 'POST',
            url: 'https://shop.test/orders',
            header: [{ key: 'Content-Type', value: 'application/json' }],
            body: { mode: 'raw', raw: '{"sku": "A-1"}' },
          },
        },
        { name: 'Replace order', request: { method: 'PUT', url: 'https://shop.test/orders/1' } },
        { name: 'Amend order', request: { method: 'PATCH', url: 'https://shop.test/orders/1' } },
        { name: 'Admin', item: [{ name: 'Purge', request: { method: 'DELETE', url: 'https://shop.test/all' } }] },
      ],
    },
  });
  assert.equal(made.status, 200, JSON.stringify(made.json));
  return made.json.collection.uid;
}

/** Every state of every view, scanned in one theme. Problems are gathered so that one run
 * names them all; the test fails at the end if there is any. */
async function journey(browser, theme) {
  const problems = [];
  const check = async (state) => {
    try {
      await assertAccessible(browser, state, theme);
    } catch (e) {
      problems.push(e.message);
    }
  };
  const sb = await sandboxOf(browser);
  const dark = await browser.execute(() => matchMedia('(prefers-color-scheme: dark)').matches);
  assert.equal(dark, theme === 'dark', `the desktop is not ${theme}`);

  // Keys: the first-run screen, the key form with an error, the table with a key.
  await (await navButton(browser, 'Keys')).click();
  await browser.$('[aria-label="Get started"]').waitForDisplayed(WAIT);
  await check('first-run');
  await browser.$('button=Add your Postman API key').click();
  await paste(browser, 'API key', 'hello, this is not a key');
  await browser.$('#key-hint=A Postman API key starts with PMAK-.').waitForDisplayed(WAIT);
  await check('key-form-error');
  const minted = (await admin(sb, 'POST', '/_sandbox/api-keys', { user: 'taylor-lee' })).key;
  await (await browser.$('[aria-label="Region"]')).selectByAttribute('value', 'sandbox');
  await paste(browser, 'API key', minted);
  await paste(browser, 'Key name', `A11y ${theme}`);
  await browser.$('button=Verify and add').click();
  await browser.$(`tr[data-key-name="A11y ${theme}"]`).waitForDisplayed(WAIT);
  await check('keys');

  await browser.$('[data-testid="open-preferences"]').click();
  await browser.$('[data-testid="preferences"]').waitForDisplayed(WAIT);
  await check('preferences');
  await browser.keys('Escape');
  await browser.$('[data-testid="preferences"]').waitForDisplayed({ ...WAIT, reverse: true });

  // Collections: the list, a collection's tree, the request editor, the raw JSON tab.
  const name = `A11y ${theme} ${Date.now()}`;
  const uid = await newCollection(sb, name);
  await openCollection(browser, name);
  await browser.$('[data-testid="tab-tree"]').click();
  await browser.$('[data-testid="collection-detail"] [role="tree"]').waitForDisplayed(WAIT);
  await check('collection-tree');
  await browser.$('//*[@role="treeitem"][contains(., "Create order")]').click();
  await browser.$('[data-testid="request-editor"]').waitForDisplayed(WAIT);
  await check('request-editor');
  await browser.$('[data-testid="tab-info"]').click();
  await check('collection-info');
  await browser.$('[data-testid="tab-raw"]').click();
  await browser.waitUntil(
    () => browser.execute(() => [...document.querySelectorAll('*')].some((e) => e.shadowRoot?.querySelector('.cm-content')?.textContent.includes('"info"'))),
    { ...WAIT, timeoutMsg: 'the JSON editor did not show the document' },
  );
  await check('raw-json');

  // A draft, the same collection changed on the server meanwhile, save: the conflict view.
  await browser.$('[data-testid="tab-tree"]').click();
  await browser.$('//*[@role="treeitem"][contains(., "List orders")]').click();
  await browser.$('[data-testid="rename-item"]').click();
  await browser.$('[data-testid="item-name"]').setValue('List my orders');
  await browser.$('[data-testid="apply-rename"]').click();
  await browser.$('[data-testid="draft-badge"]').waitForDisplayed(WAIT);
  await advanceSandboxClock(sb, 5_000);
  assert.equal((await api(sb, 'PATCH', `/collections/${uid}`, { collection: { info: { name: `${name} (theirs)` } } })).status, 200);
  await browser.$('[data-testid="save"]').click();
  await browser.$('[data-testid="conflict"]').waitForDisplayed(WAIT);
  await check('conflict');
  await browser.$('button=Keep mine (overwrite)').click();
  await browser.$('[data-testid="draft-badge"]').waitForDisplayed({ ...WAIT, reverse: true });

  // The share panel with a new key, then the Sharing view and a revoke in progress.
  await browser.$('[data-testid="share"]').click();
  await browser.$('[data-testid="share-panel"]').waitForDisplayed(WAIT);
  await browser.$('[data-testid="mint-key"]').click();
  await browser.$('[data-testid="share-link"]').waitForDisplayed(WAIT);
  await check('share-panel');

  await browser.$('[data-testid="delete-collection"]').click();
  await browser.$('[data-testid="confirm-name"]').waitForDisplayed(WAIT);
  await check('delete-dialog');
  await browser.keys('Escape');
  await browser.$('[data-testid="confirm-name"]').waitForDisplayed({ ...WAIT, reverse: true });

  await (await navButton(browser, 'Sharing')).click();
  await browser.$('[data-testid="refresh"]').click();
  const keyId = (await api(sb, 'GET', `/collection-access-keys?collectionId=${uid}`)).json.data[0].id;
  const row = await keyRow(browser, keyId);
  await check('sharing');
  await addFault(sb, 'DELETE /collection-access-keys/{id}', { delayMs: 4_000 });
  try {
    await row.$('[data-testid="revoke"]').click();
    await browser.$('[data-testid="confirm-revoke"]').click();
    await browser.$('[data-testid="revoke-progress"]').waitForExist(WAIT);
    await check('revoke-in-progress');
    await browser.$('[data-testid="revoke-results"]').waitForDisplayed({ timeout: 15_000 });
    await check('revoke-results');
  } finally {
    await clearFaults(sb);
  }

  // Environments (one open), Monitors (the list, the form), Mocks (the list, the form), Usage,
  // Activity.
  await (await navButton(browser, 'Environments')).click();
  const env = await browser.$('ul[aria-label="Environments"] button.env');
  await env.waitForDisplayed(WAIT);
  await check('environments');
  await env.click();
  await browser.$('[data-testid="environment-name"]').waitForDisplayed(WAIT);
  await check('environment-open');
  await (await navButton(browser, 'Monitors')).click();
  await browser.$('[data-testid="monitors-freshness"]').waitForDisplayed(WAIT);
  await check('monitors');
  await browser.$('[data-testid="monitor-new"]').click();
  await browser.$('[data-testid="schedule-preview"] li').waitForDisplayed(WAIT);
  await check('monitor-form');
  await (await navButton(browser, 'Mocks')).click();
  await browser.$('[data-testid="mocks-freshness"]').waitForDisplayed(WAIT);
  await check('mocks');
  await browser.$('[data-testid="mock-new"]').click();
  await browser.$('[data-testid="mock-form-name"]').waitForDisplayed(WAIT);
  await check('mock-form');
  await (await navButton(browser, 'Usage')).click();
  await browser.$('[data-testid="usage-used"]').waitForDisplayed(WAIT);
  await check('usage');
  await (await navButton(browser, 'Activity')).click();
  await browser.$('[data-testid="activity-count"]').waitForDisplayed(WAIT);
  await check('activity');
  await screenshot(browser, `a11y-activity-${theme}`);

  // Back to the first-run state for the next file: the key goes.
  await (await navButton(browser, 'Keys')).click();
  await browser.$(`button[aria-label="Delete A11y ${theme}"]`).click();
  await browser.$('button=Delete').click();
  await browser.$('[aria-label="Get started"]').waitForDisplayed(WAIT);
  return problems;
}

describe('accessibility: axe-core WCAG 2.1 A/AA on every view and state', () => {
  for (const theme of ['light', 'dark']) {
    it(`has no serious or critical violation (${theme} theme)`, async () => {
      const browser = await openApp({ dark: theme === 'dark' });
      try {
        const problems = await journey(browser, theme);
        assert.equal(problems.length, 0, problems.join('\n\n'));
      } finally {
        await browser.deleteSession();
      }
    });
  }
});
