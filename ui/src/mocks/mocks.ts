// What the Mocks view builds and says (pure, unit-tested): header lines, the call log's filter,
// the options' form, a mock's access in words, pretty bodies, and a poll that never overlaps.

import type { Access } from '../bindings/Access';
import type { CallFilter } from '../bindings/CallFilter';
import type { MockOptions } from '../bindings/MockOptions';
import type { MockRow } from '../bindings/MockRow';

/** The longest delay a mock takes (ms). */
export const MAX_DELAY_MS = 180_000;

export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/** The statuses "Switch to errors" offers. */
export const ERROR_STATUSES = [500, 503] as const;

/**
 * `Key: value` lines as header pairs: blank lines are skipped, the value is what follows the
 * first colon (trimmed, may be empty). A line without a colon, or without a name, is an error
 * (its 1-based line number in `bad`).
 */
export function parseHeaderLines(text: string): { headers: [string, string][]; bad: number[] } {
  const headers: [string, string][] = [];
  const bad: number[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const colon = line.indexOf(':');
    const name = colon < 0 ? '' : line.slice(0, colon).trim();
    if (name === '' || /\s/.test(name)) {
      bad.push(i + 1);
      return;
    }
    headers.push([name, line.slice(colon + 1).trim()]);
  });
  return { headers, bad };
}

/** A comma-separated list of header names, trimmed, without empties or repeats (any case). */
export function headerNames(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of text.split(',')) {
    const name = part.trim();
    if (name === '' || seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    out.push(name);
  }
  return out;
}

/** A path as Try it sends it: always starting with `/`. */
export function tryPath(text: string): string {
  const t = text.trim();
  return t.startsWith('/') ? t : `/${t}`;
}

/** A `datetime-local` input's value (local time) as epoch ms; `null` when empty or invalid. */
export function localInputMs(value: string): number | null {
  if (value.trim() === '') return null;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? ms : null;
}

/** What the call log's filter fields hold. */
export interface CallFilterFields {
  /** `''`: any method. */
  method: string;
  path: string;
  /** The number input's value (`null` or `''` when empty). */
  status: number | string | null;
  /** `datetime-local` values. */
  since: string;
  until: string;
}

export const NO_CALL_FILTER: CallFilterFields = { method: '', path: '', status: null, since: '', until: '' };

/**
 * The filter `mocks_calls` takes: empty fields are `null`; a status outside 100–599 is ignored;
 * `until` takes in the whole minute it names (the inputs pick minutes).
 */
export function buildCallFilter(f: CallFilterFields): CallFilter {
  const status = f.status === null || f.status === '' ? NaN : Number(f.status);
  const until = localInputMs(f.until);
  return {
    method: f.method === '' ? null : f.method,
    path: f.path.trim() === '' ? null : f.path.trim(),
    status: Number.isInteger(status) && status >= 100 && status <= 599 ? status : null,
    since: localInputMs(f.since),
    until: until === null ? null : until + 59_999,
    limit: null,
  };
}

/** The options' fields in a form (the header names as typed). */
export interface OptionsFields {
  delayMs: number | null;
  matchBody: boolean;
  matchQueryParams: boolean;
  matchWildcards: boolean;
  matchHeaders: string;
}

/** Postman's defaults: no delay, query parameters and wildcards matched, bodies and headers not. */
export const DEFAULT_OPTIONS: OptionsFields = { delayMs: 0, matchBody: false, matchQueryParams: true, matchWildcards: true, matchHeaders: '' };

/** A mock's options as listed (the API does not report the header names matched). */
export function optionsOfRow(m: MockRow): OptionsFields {
  return { delayMs: m.delayMs, matchBody: m.matchBody, matchQueryParams: m.matchQueryParams, matchWildcards: m.matchWildcards, matchHeaders: '' };
}

/** What is wrong with the options, said before sending; `null`: nothing. */
export function optionsProblem(o: OptionsFields): string | null {
  const d = o.delayMs;
  if (d !== null && (!Number.isInteger(d) || d < 0 || d > MAX_DELAY_MS)) return `The delay is a whole number of ms from 0 to ${MAX_DELAY_MS}.`;
  return null;
}

export function toOptions(o: OptionsFields): MockOptions {
  return {
    delayMs: o.delayMs ?? 0,
    matchBody: o.matchBody,
    matchQueryParams: o.matchQueryParams,
    matchWildcards: o.matchWildcards,
    matchHeaders: headerNames(o.matchHeaders),
  };
}

export function sameOptions(a: OptionsFields, b: OptionsFields): boolean {
  return JSON.stringify(toOptions(a)) === JSON.stringify(toOptions(b));
}

/** A port as typed: `null` for any free port, `undefined` when it is not one. */
export function portOf(value: number | string | null): number | null | undefined {
  if (value === null || value === '') return null;
  const n = Number(value);
  if (n === 0) return null;
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : undefined;
}

export const ACCESS_UNKNOWN_TITLE =
  "Postman's API does not report who may call a mock: Postdesk knows only what it set itself. Make it public or private to know.";

export function accessLabel(a: Access): string {
  return a === 'public' ? 'Public' : a === 'private' ? 'Private' : 'Unknown';
}

/** The collection a mock serves, in words: its name, else its UID. */
export function collectionLabel(m: Pick<MockRow, 'collectionName' | 'collectionUid'>): string {
  return m.collectionName ?? m.collectionUid ?? '—';
}

/** A body for people: a JSON object or array indented when it parses, else as it came. */
export function prettyBody(body: string | null): string {
  if (body === null) return '';
  const t = body.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return body;
  try {
    return JSON.stringify(JSON.parse(t), null, 2);
  } catch {
    return body;
  }
}

/**
 * Calls `tick` every `everyMs` until stopped: the next wait starts once a tick has finished, so
 * two never overlap (a slow answer delays the next, it does not stack).
 */
export function poll(tick: () => Promise<unknown>, everyMs: number): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    if (!stopped) timer = setTimeout(run, everyMs);
  };
  const run = () => {
    timer = undefined;
    tick().then(schedule, schedule);
  };
  schedule();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
