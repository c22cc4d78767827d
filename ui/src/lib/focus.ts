// Focus for what opens in place after a key press or a click (a form, a panel, a confirmation,
// a dialog): the focus goes into it, Escape closes it, and when it goes the focus returns to the
// control that opened it, or to the view (main) when that control is gone or disabled, so that a
// keyboard user is never left on <body>.

/** Where the focus goes back to once something that held it is gone. */
export function returnFocus(opener: HTMLElement | null): void {
  const target = opener?.isConnected && !(opener as HTMLButtonElement).disabled ? opener : document.getElementById('main');
  target?.focus();
}

/** True when nothing useful has the focus (it was inside something now removed, or on <body>). */
export function focusLost(): boolean {
  const active = document.activeElement;
  return active === null || active === document.body || !active.isConnected;
}

/** True when the focus is lost or has fallen back to the view itself (see `returnFocus`). */
export function focusIdle(): boolean {
  return focusLost() || document.activeElement === document.getElementById('main');
}

export interface InPlaceOptions {
  /** What takes the focus inside (a selector; the element itself when absent or not found). */
  initial?: string;
  onescape?: () => void;
  /** Where the focus returns (default: what had it when the element appeared). */
  opener?: HTMLElement | null;
}

/**
 * An attachment (`{@attach inPlace({...})}`) for an element that opens in place: focuses
 * `initial` inside it, calls `onescape` on Escape, and gives the focus back when the element
 * goes, if it was inside it.
 */
export function inPlace({ initial, onescape, opener: given }: InPlaceOptions = {}) {
  return (node: HTMLElement) => {
    const active = document.activeElement;
    const detected = active instanceof HTMLElement && active !== document.body && !node.contains(active) ? active : null;
    const opener = given === undefined ? detected : given;
    ((initial ? node.querySelector<HTMLElement>(initial) : null) ?? node).focus();
    const onkeydown = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || !onescape) return;
      e.preventDefault();
      e.stopPropagation();
      onescape();
    };
    node.addEventListener('keydown', onkeydown);
    return () => {
      node.removeEventListener('keydown', onkeydown);
      const inside = node.contains(document.activeElement);
      // After the DOM update that removed it: the focus is on <body> then, or the user moved on.
      queueMicrotask(() => {
        if (inside || focusLost()) returnFocus(opener);
      });
    };
  };
}

const FOCUSABLE = 'input:not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled]), a[href]';

/** `inPlace` for a modal dialog: Tab and Shift+Tab also keep the focus inside it. */
export function modal(options: InPlaceOptions = {}) {
  const place = inPlace(options);
  return (node: HTMLElement) => {
    const leave = place(node);
    const onkeydown = (e: KeyboardEvent) => {
      if (e.key !== 'Tab') return;
      const focusable = [...node.querySelectorAll<HTMLElement>(FOCUSABLE)];
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (!first || !last) return;
      if (e.shiftKey && document.activeElement === first) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    };
    node.addEventListener('keydown', onkeydown);
    return () => {
      node.removeEventListener('keydown', onkeydown);
      leave();
    };
  };
}
