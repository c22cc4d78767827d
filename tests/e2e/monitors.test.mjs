// E2E: monitors (issue 17) in the real window against the built-in sandbox. A monitor on a
// collection whose two requests reach a local test server (one passes its test, one fails it):
// made in the app's form, run now (one pass, one failure with its assertion message), the
// sandbox clock moved past two scheduled runs, the history refreshed (three runs in the chart),
// the Usage view's monitor meter and the schedule's estimate for the month, paused, exported as
// CSV; then the app restarts and the failure and the history are still
// there, read from Postdesk's own database (the API keeps only the last run).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { describe, it, before, after } from 'node:test';
import { SCHEMA, TEST_NOW, advanceSandboxClock, api, navButton, openApp, sandboxOf, screenshot, tableRows } from './support.mjs';

const WAIT = { timeout: 15_000 };
const DAY = 86_400_000;

/** The local API the monitor calls: `/ok` (200 JSON) and `/broken` (500); counts the hits. */
function localApi() {
  const server = createServer((req, res) => {
    server.hits += 1;
    if (req.url === '/ok') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    } else {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('down');
    }
  });
  server.hits = 0;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const runsOf = (browser) => tableRows(browser, 'Runs');

describe('monitors', () => {
  let server;
  let base;
  before(async () => {
    server = await localApi();
    base = `http://127.0.0.1:${server.address().port}`;
  });
  after(() => new Promise((r) => server.close(r)));

  it('runs a monitor, keeps every run it sees, and still has them after a restart', async () => {
    const name = `E2E monitor ${Date.now()}`;
    const collection = `E2E monitored ${Date.now()}`;
    let browser = await openApp();
    try {
      const sb = await sandboxOf(browser);
      const test = "pm.test('status is 200', () => pm.response.to.have.status(200));";
      const made = await api(sb, 'POST', '/collections', {
        collection: {
          info: { name: collection, schema: SCHEMA },
          item: [
            { name: 'healthy', request: `${base}/ok`, event: [{ listen: 'test', script: { exec: [test] } }] },
            { name: 'broken', request: `${base}/broken`, event: [{ listen: 'test', script: { exec: [test] } }] },
          ],
        },
      });
      assert.equal(made.status, 200, JSON.stringify(made.json));
      const uid = made.json.collection.uid;

      await (await navButton(browser, 'Monitors')).click();
      await browser.$('[data-testid="monitor-new"]').click();
      await browser.$('[data-testid="monitor-name"]').setValue(name);
      const picker = await browser.$('[data-testid="monitor-collection"]');
      await browser.waitUntil(async () => (await picker.$$(`option[value="${uid}"]`).length) === 1, {
        ...WAIT,
        timeoutMsg: 'the new collection is not in the picker',
      });
      await picker.selectByAttribute('value', uid);
      await browser.$('[data-testid="monitor-cron"]').setValue('0 9 * * *');
      await browser.$('[data-testid="monitor-timezone"]').setValue('UTC');
      const preview = await browser.$('[data-testid="schedule-preview"]');
      await browser.waitUntil(async () => (await preview.getText()).includes('every day at 09:00 UTC'), {
        ...WAIT,
        timeoutMsg: 'the schedule builder does not say the schedule in words',
      });
      assert.equal(await preview.$$('li').length, 5, 'the next five runs are shown');
      await screenshot(browser, 'monitors-form');
      await browser.$('[data-testid="monitor-create"]').click();

      let row = await browser.$(`tr[data-monitor="${name}"]`);
      await row.waitForExist(WAIT);
      assert.match(await row.getText(), /every day at 09:00 UTC/);
      assert.match(await row.getText(), /Never run/);

      await browser.$(`button[aria-label="Run ${name} now"]`).click();
      const status = await browser.$('[data-testid="monitors-status"]');
      await browser.waitUntil(async () => /Failed, 1 of 2 assertions failed/.test(await status.getText()), {
        ...WAIT,
        timeoutMsg: 'the run now does not report one failure of two',
      });
      assert.equal(server.hits, 2, 'both requests reached the local API');
      await browser.waitUntil(async () => (await runsOf(browser))?.length === 1, { ...WAIT, timeoutMsg: 'the run is not in the history' });
      const opener = await browser.$('table[aria-label="Runs"] tbody button');
      await opener.click();
      const executions = await browser.$('[data-testid="run-executions"]');
      await executions.waitForDisplayed(WAIT);
      const text = await executions.getText();
      assert.match(text, /Pass status is 200/);
      assert.match(text, /Fail status is 200: AssertionError: expected response to have status code 200 but got 500/);
      await screenshot(browser, 'monitors-run-details');

      await opener.click();
      await executions.waitForExist({ ...WAIT, reverse: true });

      // Two scheduled runs pass on the sandbox's clock; the refresh finds them.
      await advanceSandboxClock(sb, 2 * DAY);
      await browser.$('[data-testid="monitor-refresh-history"]').click();
      let detailStatus = await browser.$('[data-testid="monitor-detail-status"]');
      await browser.waitUntil(async () => (await detailStatus.getText()) === '2 new runs kept.', {
        ...WAIT,
        timeoutMsg: 'the refresh does not find the two scheduled runs',
      });
      await browser.waitUntil(async () => (await runsOf(browser))?.length === 3, WAIT);
      const chart = await browser.$('.monitor-detail svg.run-chart');
      assert.equal(await chart.getAttribute('aria-label'), 'Runs, oldest left: 3 runs, 3 failed');
      assert.equal(await chart.$$('rect').length, 3);
      const triggers = (await runsOf(browser)).map((r) => r[2]);
      assert.deepEqual(triggers.sort(), ['manual', 'scheduled', 'scheduled']);
      await screenshot(browser, 'monitors-history');

      // The Usage view: the monitors' meter beside the API one (refreshed: /me was read at
      // start), and what the active schedule adds by the month's end.
      await (await navButton(browser, 'Usage')).click();
      await browser.$('button[aria-label="Refresh usage"]').click();
      const used = await browser.$('[data-testid="monitor-runs-used"]');
      await browser.waitUntil(async () => /^6 of /.test(await used.getText()), { ...WAIT, timeoutMsg: 'the meter does not count 3 runs of 2 requests' });
      await browser.$('[data-testid="monitor-estimate-run"]').click();
      const estimate = await browser.$('[data-testid="monitor-estimate"]');
      const said = /At these schedules: ~([\d,]+) more runs this month \(~([\d,]+) request runs\)/;
      await browser.waitUntil(async () => said.test(await estimate.getText()), { ...WAIT, timeoutMsg: 'no estimate from the schedule' });
      const [, runs, requestRuns] = (await estimate.getText()).match(said).map((n) => Number(String(n).replace(/,/g, '')));
      // Every 09:00 UTC still to come this month on the app's clock (started at TEST_NOW, a
      // 10:00, a few minutes ago).
      const now = TEST_NOW;
      const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
      let expected = 0;
      for (let t = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 9); t < end; t += DAY) {
        if (t > now.getTime()) expected += 1;
      }
      assert.equal(runs, expected, 'the runs left this month at 09:00 UTC');
      assert.equal(requestRuns, 2 * runs, 'each run sends its two requests');
      await screenshot(browser, 'usage-monitors');
      await (await navButton(browser, 'Monitors')).click();
      row = await browser.$(`tr[data-monitor="${name}"]`);
      await (await browser.$(`tr[data-monitor="${name}"] button.link`)).click();
      await browser.waitUntil(async () => (await runsOf(browser))?.length === 3, { ...WAIT, timeoutMsg: 'the history is not shown again' });
      detailStatus = await browser.$('[data-testid="monitor-detail-status"]');

      await browser.$(`button[aria-label="Pause ${name}"]`).click();
      await browser.waitUntil(async () => /Paused/.test(await row.getText()), { ...WAIT, timeoutMsg: 'the monitor is not shown paused' });
      const mon = await api(sb, 'GET', `/monitors?collectionUid=${uid}`);
      assert.deepEqual(mon.json.monitors.map((m) => m.active), [false]);

      await browser.$('[data-testid="monitor-export-csv"]').click();
      await browser.waitUntil(async () => /Saved to .*-history\.csv$/.test(await detailStatus.getText()), {
        ...WAIT,
        timeoutMsg: 'the export does not say where it went',
      });
      const file = (await detailStatus.getText()).replace(/^Saved to /, '');
      const csv = (await readFile(file, 'utf8')).trim().split('\n');
      assert.equal(csv.length, 4, 'a header and three runs');
      assert.match(csv[0], /^jobId,startedAt,finishedAt,status/);
      assert.ok(csv.slice(1).every((l) => l.includes(',failed,')), csv.join('\n'));
    } finally {
      await browser.deleteSession();
    }

    // After a restart, the history and the failure's message come from Postdesk's database.
    browser = await openApp();
    try {
      await (await navButton(browser, 'Monitors')).click();
      const link = await browser.$(`tr[data-monitor="${name}"] button.link`);
      await link.waitForExist(WAIT);
      assert.match(await browser.$(`tr[data-monitor="${name}"]`).getText(), /0 of 3 passed/);
      await link.click();
      await browser.waitUntil(async () => (await runsOf(browser))?.length === 3, { ...WAIT, timeoutMsg: 'the history is gone after the restart' });
      const rows = await runsOf(browser);
      const manual = rows.findIndex((r) => r[2] === 'manual');
      await (await browser.$$('table[aria-label="Runs"] tbody button'))[manual].click();
      const executions = await browser.$('[data-testid="run-executions"]');
      await executions.waitForDisplayed(WAIT);
      assert.match(await executions.getText(), /got 500/);
    } finally {
      await browser.deleteSession();
    }
  });
});
