// Number and time formatting shared by the views (Intl, no hand-rolled rules).

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });
const time = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

export const fmtInt = (n: number) => integer.format(n);
export const fmtPercent = (share: number) => percent.format(share);
export const fmtTime = (epochMs: number) => time.format(new Date(epochMs));

/** Whole seconds from `now` until `epochMs`, never negative. */
export function secondsUntil(epochMs: number, now: number): number {
  return Math.max(0, Math.ceil((epochMs - now) / 1000));
}

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** `2xx`, `4xx`…, or `error` when no answer came. */
export function statusClass(status: number | null): string {
  return status === null ? 'error' : `${Math.floor(status / 100)}xx`;
}

const clockTime = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });
const dayAndTime = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hour12: false });

/** `14:05` for a time of the day `nowMs` falls on, `1 Dec, 14:05` for another day (local time). */
export function fmtClock(epochMs: number, nowMs: number): string {
  const a = new Date(epochMs);
  const b = new Date(nowMs);
  const sameDay = a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
  return (sameDay ? clockTime : dayAndTime).format(a);
}
