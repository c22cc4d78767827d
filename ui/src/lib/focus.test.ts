import { afterEach, describe, expect, it, vi } from 'vitest';
import { inPlace, modal, returnFocus } from './focus';

function dom() {
  document.body.innerHTML = `
    <main id="main" tabindex="-1"><button id="open">Open</button><button id="other">Other</button>
      <form id="panel" tabindex="-1"><input id="field" /><button id="ok">OK</button></form></main>`;
  return (id: string) => document.getElementById(id)!;
}
const flush = () => new Promise((r) => queueMicrotask(() => r(null)));

afterEach(() => (document.body.innerHTML = ''));

describe('inPlace', () => {
  it('focuses the first match inside, and the opener again when it goes', async () => {
    const $ = dom();
    $('open').focus();
    const cleanup = inPlace({ initial: 'input' })($('panel'));
    expect(document.activeElement).toBe($('field'));
    $('panel').remove();
    cleanup();
    await flush();
    expect(document.activeElement).toBe($('open'));
  });

  it('focuses the element itself without an initial selector, and calls onescape on Escape', () => {
    const $ = dom();
    const onescape = vi.fn();
    inPlace({ onescape })($('panel'));
    expect(document.activeElement).toBe($('panel'));
    $('field').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    $('field').dispatchEvent(new KeyboardEvent('keydown', { key: 'a', bubbles: true }));
    expect(onescape).toHaveBeenCalledTimes(1);
  });

  it('leaves the focus where the user put it outside, once it is gone', async () => {
    const $ = dom();
    $('open').focus();
    const cleanup = inPlace({ initial: 'input' })($('panel'));
    $('other').focus();
    $('panel').remove();
    cleanup();
    await flush();
    expect(document.activeElement).toBe($('other'));
  });

  it('goes to the view when the opener is gone or disabled', async () => {
    const $ = dom();
    $('open').focus();
    const cleanup = inPlace({ initial: 'input' })($('panel'));
    ($('open') as HTMLButtonElement).disabled = true;
    $('panel').remove();
    cleanup();
    await flush();
    expect(document.activeElement).toBe($('main'));
    $('other').remove();
    returnFocus($('other'));
    expect(document.activeElement).toBe($('main'));
  });
});

describe('modal', () => {
  const tab = (shiftKey = false) => {
    const e = new KeyboardEvent('keydown', { key: 'Tab', shiftKey, bubbles: true, cancelable: true });
    document.activeElement!.dispatchEvent(e);
    return e.defaultPrevented;
  };

  it('keeps Tab and Shift+Tab inside, and gives the focus to the opener it was given', async () => {
    const $ = dom();
    $('other').focus();
    const cleanup = modal({ initial: 'input', opener: $('open') })($('panel'));
    expect(document.activeElement).toBe($('field'));
    expect(tab(true)).toBe(true);
    expect(document.activeElement).toBe($('ok'));
    expect(tab()).toBe(true);
    expect(document.activeElement).toBe($('field'));
    // Between the first and the last, Tab moves as usual.
    expect(tab()).toBe(false);
    $('panel').remove();
    cleanup();
    await flush();
    expect(document.activeElement).toBe($('open'));
  });
});
