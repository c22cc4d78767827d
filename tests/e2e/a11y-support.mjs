// Accessibility checks in the real window: axe-core (pinned in package.json) is injected into the
// webview through WebDriver and run with the WCAG 2.1 A/AA rules on the page as it is now. Every
// check is written to target/e2e/a11y/ (one JSON per state and theme), so a run leaves the list
// of what fired; serious and critical violations fail the check.
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { settle } from './support.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
export const AXE_VERSION = JSON.parse(await readFile(require.resolve('axe-core/package.json'), 'utf8')).version;
export const REPORT_DIR = path.resolve('target/e2e/a11y');

/** The rule sets the checks run: WCAG 2.0 and 2.1, levels A and AA. No rule is turned off. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const FAILING = new Set(['serious', 'critical']);

async function inject(browser) {
  const present = await browser.execute(() => typeof window.axe === 'object');
  if (!present) await browser.execute(`${AXE_SOURCE}\n;return true;`);
}

/**
 * Runs axe on the whole document and returns its violations in a short form. `state` names
 * what is on screen (e.g. `collection-tree`), `theme` is `light` or `dark`.
 */
export async function axeScan(browser, state, theme) {
  await settle(browser);
  await inject(browser);
  const result = await browser.executeAsync((tags, done) => {
    window.axe
      .run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
      .then(
        (r) =>
          done({
            violations: r.violations.map((v) => ({
              id: v.id,
              impact: v.impact,
              help: v.help,
              nodes: v.nodes.slice(0, 8).map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
              count: v.nodes.length,
            })),
            passes: r.passes.length,
          }),
        (e) => done({ error: String(e) }),
      );
  }, TAGS);
  if (result.error) throw new Error(`axe failed on ${state} (${theme}): ${result.error}`);
  await mkdir(REPORT_DIR, { recursive: true });
  await writeFile(path.join(REPORT_DIR, `${state}-${theme}.json`), JSON.stringify({ state, theme, axe: AXE_VERSION, ...result }, null, 2));
  return result;
}

/** axeScan that fails on a serious or critical violation, naming each rule and where it fired. */
export async function assertAccessible(browser, state, theme) {
  const { violations, passes } = await axeScan(browser, state, theme);
  const failing = violations.filter((v) => FAILING.has(v.impact));
  const text = failing
    .map((v) => `${v.id} (${v.impact}, ${v.count}×): ${v.help}\n${v.nodes.map((n) => `    ${n.target}: ${n.summary}`).join('\n')}`)
    .join('\n');
  assert.equal(failing.length, 0, `${state} (${theme}): ${failing.length} serious/critical axe violations\n${text}`);
  // axe really ran rules on this page (a blank or unloaded page passes almost nothing).
  assert.ok(passes >= 10, `${state} (${theme}): axe passed only ${passes} rules`);
  return violations;
}
