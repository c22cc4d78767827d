import { describe, expect, it } from 'vitest';
import { VIEWS, nextIndex, shortcutIndex } from './views';

describe('views', () => {
  it('lists the eight views of the product in sidebar order', () => {
    expect(VIEWS.map((v) => v.label)).toEqual([
      'Keys',
      'Collections',
      'Environments',
      'Sharing',
      'Monitors',
      'Mocks',
      'Usage',
      'Activity',
    ]);
    for (const v of VIEWS) expect(v.emptyText.length).toBeGreaterThan(40);
  });

  it('moves through the sidebar with arrows, Home and End, wrapping around', () => {
    expect(nextIndex(0, 'ArrowDown', 6)).toBe(1);
    expect(nextIndex(5, 'ArrowDown', 6)).toBe(0);
    expect(nextIndex(0, 'ArrowUp', 6)).toBe(5);
    expect(nextIndex(3, 'Home', 6)).toBe(0);
    expect(nextIndex(3, 'End', 6)).toBe(5);
    expect(nextIndex(3, 'a', 6)).toBeNull();
    expect(nextIndex(0, 'ArrowDown', 0)).toBeNull();
  });

  it('maps Ctrl/Cmd+1..6 to views and ignores other chords', () => {
    const key = (k: string, mods: Partial<KeyboardEvent> = {}) => ({
      key: k,
      ctrlKey: false,
      metaKey: false,
      altKey: false,
      shiftKey: false,
      ...mods,
    });
    expect(shortcutIndex(key('1', { ctrlKey: true }), 6)).toBe(0);
    expect(shortcutIndex(key('6', { metaKey: true }), 6)).toBe(5);
    expect(shortcutIndex(key('7', { ctrlKey: true }), 6)).toBeNull();
    expect(shortcutIndex(key('0', { ctrlKey: true }), 6)).toBeNull();
    expect(shortcutIndex(key('2'), 6)).toBeNull();
    expect(shortcutIndex(key('2', { ctrlKey: true, shiftKey: true }), 6)).toBeNull();
  });
});
