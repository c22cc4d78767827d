#!/usr/bin/env node
// Newman check for postman-sandbox (driven by run.sh).
//
// Usage: node check.js <sandbox-url> <api-key>
//
// 1. Creates, through the sandbox's public API, a collection whose requests target the sandbox
//    itself ({{baseUrl}}/me and {{baseUrl}}/collections with an x-api-key header) and whose test
//    scripts assert on the responses.
// 2. Runs `newman run "<url>/collections/<uid>?apikey=<key>"` and checks, from newman's JSON
//    report, that every request ran and every assertion passed.
// 3. Mints a collection access key through /_sandbox/access-keys and runs newman again with
//    `?access_key=PMAT-…` (no API key).
// 4. Checks that a bad API key and a bad access key do NOT load the collection (newman exits
//    non-zero and runs nothing).
// Every step is bounded; traffic stays on 127.0.0.1.
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const [, , base, apiKey] = process.argv;
if (!base || !apiKey) {
  console.error('usage: node check.js <sandbox-url> <api-key>');
  process.exit(2);
}
if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(base)) {
  console.error(`refusing a non-loopback sandbox URL: ${base}`);
  process.exit(2);
}

const NEWMAN = path.join(__dirname, 'node_modules', '.bin', 'newman');
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-newman-'));
let failures = 0;
let passes = 0;

function ok(cond, what) {
  if (cond) {
    passes += 1;
    console.log(`  ok   ${what}`);
  } else {
    failures += 1;
    console.log(`  FAIL ${what}`);
  }
}

// The sandbox's admin token (from its start line, through run.sh) for the /_sandbox/ calls.
const ADMIN = target => (target.startsWith('/_sandbox') ? { 'x-sandbox-token': process.env.SANDBOX_ADMIN_TOKEN || '' } : {});

async function api(method, target, body, headers = {}) {
  const res = await fetch(base + target, {
    method,
    headers: { 'content-type': 'application/json', ...ADMIN(target), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15000),
  });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (_) {
    json = null;
  }
  return { status: res.status, json, text };
}

function request(name, urlPath, tests) {
  return {
    name,
    event: [{ listen: 'test', script: { type: 'text/javascript', exec: tests } }],
    request: {
      method: 'GET',
      header: [{ key: 'x-api-key', value: '{{apiKey}}' }],
      url: `{{baseUrl}}${urlPath}`,
    },
  };
}

const COLLECTION = {
  collection: {
    info: {
      name: 'Newman loopback check',
      schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
    },
    item: [
      request('Who am I', '/me', [
        "pm.test('status is 200', function () { pm.response.to.have.status(200); });",
        "pm.test('user has an id', function () { pm.expect(pm.response.json().user.id).to.be.a('number'); });",
      ]),
      {
        name: 'Folder',
        item: [
          request('List collections', '/collections', [
            "pm.test('status is 200', function () { pm.response.to.have.status(200); });",
            "pm.test('collections is an array', function () { pm.expect(pm.response.json().collections).to.be.an('array'); });",
          ]),
        ],
      },
    ],
  },
};
const EXPECTED_REQUESTS = 2;
const EXPECTED_ASSERTIONS = 4;

// Runs newman on a collection URL; returns { status, report } (report is null when nothing ran).
function newman(collectionUrl, label) {
  const out = path.join(TMP, `${label}.json`);
  const res = spawnSync(
    NEWMAN,
    [
      'run',
      collectionUrl,
      '--env-var',
      `baseUrl=${base}`,
      '--env-var',
      `apiKey=${apiKey}`,
      '--reporters',
      'cli,json',
      '--reporter-json-export',
      out,
      '--timeout',
      '60000',
      '--timeout-request',
      '10000',
      '--disable-unicode',
      '--color',
      'off',
    ],
    { encoding: 'utf8', timeout: 90000 },
  );
  const output = `${res.stdout || ''}${res.stderr || ''}`;
  let report = null;
  if (fs.existsSync(out)) {
    report = JSON.parse(fs.readFileSync(out, 'utf8'));
  }
  return { status: res.status, signal: res.signal, output, report };
}

function expectGoodRun(run, what) {
  if (run.status !== 0) {
    console.log(run.output);
  }
  ok(run.status === 0, `${what}: newman exits 0 (got ${run.status}${run.signal ? ` ${run.signal}` : ''})`);
  const stats = run.report && run.report.run && run.report.run.stats;
  ok(
    stats && stats.requests.total === EXPECTED_REQUESTS && stats.requests.failed === 0,
    `${what}: ${EXPECTED_REQUESTS} requests ran (got ${stats ? JSON.stringify(stats.requests) : 'no report'})`,
  );
  ok(
    stats && stats.assertions.total === EXPECTED_ASSERTIONS && stats.assertions.failed === 0,
    `${what}: ${EXPECTED_ASSERTIONS} assertions passed (got ${stats ? JSON.stringify(stats.assertions) : 'no report'})`,
  );
  const failuresList = (run.report && run.report.run && run.report.run.failures) || [];
  ok(failuresList.length === 0, `${what}: no failures reported`);
}

function expectRefused(run, what) {
  ok(run.status !== 0, `${what}: newman exits non-zero (got ${run.status})`);
  const ranSomething =
    run.report && run.report.run && run.report.run.stats && run.report.run.stats.requests.total > 0;
  ok(!ranSomething, `${what}: nothing ran`);
  ok(
    /collection could not be loaded|error: collection|unable to fetch/i.test(run.output),
    `${what}: newman reports that the collection could not be loaded`,
  );
}

async function main() {
  const me = await api('GET', '/me', undefined, { 'x-api-key': apiKey });
  ok(me.status === 200, `GET /me with the key is 200 (got ${me.status})`);

  const ws = await api('GET', '/workspaces', undefined, { 'x-api-key': apiKey });
  const workspace = ws.json && ws.json.workspaces && ws.json.workspaces[0] && ws.json.workspaces[0].id;
  ok(Boolean(workspace), 'the user has a workspace');

  const created = await api('POST', `/collections?workspace=${workspace}`, COLLECTION, { 'x-api-key': apiKey });
  ok(created.status === 200, `POST /collections is 200 (got ${created.status}: ${created.text.slice(0, 300)})`);
  const uid = created.json && created.json.collection && created.json.collection.uid;
  if (!uid) {
    throw new Error('no collection uid: cannot go on');
  }
  console.log(`collection ${uid}`);

  // 1. ?apikey=
  expectGoodRun(newman(`${base}/collections/${uid}?apikey=${apiKey}`, 'apikey'), 'newman with ?apikey=');

  // 2. ?access_key= minted through the sandbox admin endpoint.
  const minted = await api('POST', '/_sandbox/access-keys', { collection: uid });
  const token = minted.json && minted.json.token;
  ok(minted.status === 200 && /^PMAT-/.test(token || ''), `POST /_sandbox/access-keys mints a PMAT key (got ${minted.status})`);
  if (token) {
    expectGoodRun(newman(`${base}/collections/${uid}?access_key=${token}`, 'access-key'), 'newman with ?access_key=');
  }

  // 3. Bad credentials do not load.
  const badKey = 'PMAK-000000000000000000000000-0000000000000000000000000000000000';
  expectRefused(newman(`${base}/collections/${uid}?apikey=${badKey}`, 'bad-apikey'), 'newman with a bad ?apikey=');
  expectRefused(
    newman(`${base}/collections/${uid}?access_key=PMAT-00000000000000000000000000`, 'bad-access-key'),
    'newman with a bad ?access_key=',
  );
  // A revoked key stops working.
  if (minted.json && minted.json.id) {
    const del = await api('DELETE', `/collection-access-keys/${minted.json.id}`, undefined, { 'x-api-key': apiKey });
    ok(del.status === 204, `DELETE /collection-access-keys/{id} is 204 (got ${del.status})`);
    expectRefused(newman(`${base}/collections/${uid}?access_key=${token}`, 'revoked-access-key'), 'newman with a revoked ?access_key=');
  }
}

main()
  .catch((e) => {
    failures += 1;
    console.log(`  FAIL ${e && e.stack ? e.stack : e}`);
  })
  .finally(() => {
    fs.rmSync(TMP, { recursive: true, force: true });
    console.log(`newman: ${passes} passed, ${failures} failed`);
    process.exit(failures === 0 ? 0 : 1);
  });
