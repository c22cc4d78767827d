// E2E: light and dark themes follow the OS. The same app is started twice: once on a light
// desktop, once with a dark GTK theme (the second tauri-driver in run.sh).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openApp, screenshot } from './support.mjs';

async function themeOf(browser) {
  return browser.execute(() => ({
    dark: matchMedia('(prefers-color-scheme: dark)').matches,
    background: getComputedStyle(document.documentElement).backgroundColor,
  }));
}

describe('Postdesk themes', () => {
  it('is light on a light desktop', async () => {
    const browser = await openApp();
    try {
      const theme = await themeOf(browser);
      assert.equal(theme.dark, false);
      assert.equal(theme.background, 'rgb(246, 247, 249)');
    } finally {
      await browser.deleteSession();
    }
  });

  it('is dark on a dark desktop', async () => {
    const browser = await openApp({ dark: true });
    try {
      const theme = await themeOf(browser);
      assert.equal(theme.dark, true);
      assert.equal(theme.background, 'rgb(22, 24, 29)');
      await screenshot(browser, 'keys-dark');
    } finally {
      await browser.deleteSession();
    }
  });
});
