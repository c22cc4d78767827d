// jsdom has no layout: give elements the size of a window so the virtualisers have rows to show.
export function fakeLayout() {
  Object.defineProperty(HTMLElement.prototype, 'offsetHeight', { configurable: true, get: () => 480 });
  Object.defineProperty(HTMLElement.prototype, 'offsetWidth', { configurable: true, get: () => 900 });
}
