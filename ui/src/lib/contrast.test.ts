// @vitest-environment node
// Contrast by design: the colour tokens of app.css, read from the file itself, meet WCAG 2.1 AA
// in both themes — text 4.5:1 on every background it is drawn on, UI parts and fills 3:1.
// (The E2E suite runs axe-core on the real window as well; this catches a bad token at once.)
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const css = readFileSync(new URL('../app.css', import.meta.url), 'utf8');

/** The `--name: #hex` declarations in the block that follows `selector`. */
function tokens(selector: string): Record<string, string> {
  const at = css.indexOf(selector);
  if (at === -1) throw new Error(`${selector} is not in app.css`);
  const body = css.slice(css.indexOf('{', at) + 1, css.indexOf('}', at));
  return Object.fromEntries([...body.matchAll(/(--[\w-]+):\s*(#[0-9a-f]{6})\b/gi)].map((m) => [m[1], m[2]!.toLowerCase()]));
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
}
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

const light = tokens(':root {');
const dark = { ...light, ...tokens(":root[data-theme='dark'] {") };
const THEMES = { light, dark };

const BACKGROUNDS = ['--bg', '--surface', '--sidebar', '--bar', '--accent-soft'];
const TEXT = ['--text', '--muted', '--accent-text', '--danger', '--ok', '--warn', '--info', '--violet'];
const SYNTAX = ['--syn-string', '--syn-number', '--syn-atom', '--syn-property'];
const FILLS = ['--accent', '--danger-fill', '--warn-fill', '--ok-fill'];
const EDGES = ['--focus', '--control-border'];

function failures(theme: Record<string, string>, fronts: string[], backs: string[], min: number): string[] {
  const out: string[] = [];
  for (const f of fronts)
    for (const b of backs) {
      const [fc, bc] = [theme[f], theme[b]];
      if (!fc || !bc) out.push(`${f} or ${b} is missing`);
      else if (contrast(fc, bc) < min) out.push(`${f} ${fc} on ${b} ${bc}: ${contrast(fc, bc).toFixed(2)}:1`);
    }
  return out;
}

describe('colour tokens (app.css)', () => {
  it('has the same dark palette for the override and for a dark OS', () => {
    const media = css.slice(css.indexOf('@media (prefers-color-scheme: dark)'));
    expect(tokens(":root:not([data-theme='light']) {")).toEqual(tokens(":root[data-theme='dark'] {"));
    expect(media.length).toBeGreaterThan(0);
    expect(Object.keys(tokens(":root[data-theme='dark'] {")).length).toBeGreaterThanOrEqual(20);
  });

  for (const [name, theme] of Object.entries(THEMES)) {
    it(`${name}: text is 4.5:1 on every background`, () => {
      expect(failures(theme, TEXT, BACKGROUNDS, 4.5)).toEqual([]);
      expect(failures(theme, ['--primary-text'], ['--primary-bg'], 4.5)).toEqual([]);
      expect(failures(theme, SYNTAX, ['--surface', '--bg'], 4.5)).toEqual([]);
    });
    it(`${name}: fills, focus rings and field edges are 3:1`, () => {
      expect(failures(theme, FILLS, ['--surface', '--bar'], 3)).toEqual([]);
      expect(failures(theme, EDGES, ['--surface', '--bg', '--sidebar'], 3)).toEqual([]);
    });
  }

  it('computes WCAG contrast (black on white is 21:1, a colour on itself 1:1)', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(contrast('#336699', '#336699')).toBe(1);
  });
});
