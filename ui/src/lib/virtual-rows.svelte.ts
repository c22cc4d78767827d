// A windowed list of fixed-height rows in a scrolling element (@tanstack/svelte-virtual): what
// the collection list, the collection tree and the grids (GridRows: the activity log, a mock's
// call log) share. Call it during a component's initialisation: it starts its effects there.
import { untrack } from 'svelte';
import { createVirtualizer, type SvelteVirtualizer } from '@tanstack/svelte-virtual';

export interface VirtualRowsOptions {
  /** The scrolling element (bound with `bind:this`; absent while the list is not drawn). */
  scroller: () => HTMLDivElement | undefined;
  /** How many rows there are now. */
  count: () => number;
  /**
   * The height of one row, in pixels: of every row, or (a function) the estimate for the rows
   * not measured yet, read whenever positions are computed.
   */
  rowHeight: number | (() => number);
  /** Rows drawn beyond each edge of the window. */
  overscan: number;
  /** The width assumed before the element is measured. */
  width: number;
}

/**
 * The virtualizer store (read it as `$store` in the component) for rows drawn at `translateY(start)`
 * inside a spacer of `getTotalSize()` pixels. Its row count follows `count`, and a scrolling
 * element drawn again is picked up.
 */
export function virtualRows(o: VirtualRowsOptions) {
  const virtualizer = createVirtualizer<HTMLDivElement, Element>({
    count: 0,
    getScrollElement: () => o.scroller() ?? null,
    estimateSize: typeof o.rowHeight === 'number' ? () => o.rowHeight as number : o.rowHeight,
    overscan: o.overscan,
    // jsdom has no layout: start with a window's worth of rows there.
    initialRect: { width: o.width, height: 480 },
  });
  // Subscribed for the component's life, as a `$virtualizer` read in it would be (untracked: the
  // first subscription measures the scrolling element, and must not resubscribe when it changes).
  let instance: SvelteVirtualizer<HTMLDivElement, Element> | undefined;
  $effect(() => untrack(() => virtualizer.subscribe((v) => (instance = v))));
  $effect(() => {
    const count = o.count();
    void o.scroller();
    untrack(() => instance?.setOptions({ count }));
  });
  return virtualizer;
}
