import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_OPTIONS,
  NO_CALL_FILTER,
  accessLabel,
  buildCallFilter,
  collectionLabel,
  headerNames,
  localInputMs,
  optionsProblem,
  parseHeaderLines,
  poll,
  portOf,
  prettyBody,
  sameOptions,
  toOptions,
  tryPath,
} from './mocks';

describe('what the Mocks view builds', () => {
  it('reads "Key: value" lines as headers, skipping blank lines and naming the bad ones', () => {
    expect(parseHeaderLines('Accept: application/json\n\n  X-Tenant :  acme \nX-Empty:\nAuthorization: Bearer a:b')).toEqual({
      headers: [
        ['Accept', 'application/json'],
        ['X-Tenant', 'acme'],
        ['X-Empty', ''],
        ['Authorization', 'Bearer a:b'],
      ],
      bad: [],
    });
    expect(parseHeaderLines('no colon here\r\n: no name\nBad Name: x\nOk: 1')).toEqual({ headers: [['Ok', '1']], bad: [1, 2, 3] });
    expect(parseHeaderLines('')).toEqual({ headers: [], bad: [] });
  });

  it('reads header names to match, comma-separated, without empties or repeats', () => {
    expect(headerNames(' x-tenant, Accept,, X-Tenant ,')).toEqual(['x-tenant', 'Accept']);
    expect(headerNames('')).toEqual([]);
  });

  it('starts a Try it path with a slash', () => {
    expect(tryPath('pets?type=dog')).toBe('/pets?type=dog');
    expect(tryPath(' /pets/7 ')).toBe('/pets/7');
    expect(tryPath('')).toBe('/');
  });

  it('builds the call filter: empty fields null, a status only in range, until through its minute', () => {
    expect(buildCallFilter(NO_CALL_FILTER)).toEqual({ method: null, path: null, status: null, since: null, until: null, limit: null });
    const since = new Date(2026, 11, 4, 9, 30).getTime();
    const until = new Date(2026, 11, 4, 10, 0).getTime();
    expect(buildCallFilter({ method: 'POST', path: ' /pets ', status: 503, since: '2026-12-04T09:30', until: '2026-12-04T10:00' })).toEqual({
      method: 'POST',
      path: '/pets',
      status: 503,
      since,
      until: until + 59_999,
      limit: null,
    });
    expect(buildCallFilter({ ...NO_CALL_FILTER, status: 42 }).status).toBeNull();
    expect(buildCallFilter({ ...NO_CALL_FILTER, status: '' }).status).toBeNull();
    expect(localInputMs('not a date')).toBeNull();
  });

  it('checks the delay before sending and sends the options as the API takes them', () => {
    expect(optionsProblem(DEFAULT_OPTIONS)).toBeNull();
    expect(optionsProblem({ ...DEFAULT_OPTIONS, delayMs: 180_000 })).toBeNull();
    expect(optionsProblem({ ...DEFAULT_OPTIONS, delayMs: 180_001 })).toMatch(/0 to 180000/);
    expect(optionsProblem({ ...DEFAULT_OPTIONS, delayMs: -1 })).not.toBeNull();
    expect(optionsProblem({ ...DEFAULT_OPTIONS, delayMs: 1.5 })).not.toBeNull();
    expect(toOptions({ ...DEFAULT_OPTIONS, delayMs: null, matchHeaders: 'x-a, x-b' })).toEqual({
      delayMs: 0,
      matchBody: false,
      matchQueryParams: true,
      matchWildcards: true,
      matchHeaders: ['x-a', 'x-b'],
    });
    expect(sameOptions(DEFAULT_OPTIONS, { ...DEFAULT_OPTIONS, delayMs: null, matchHeaders: ' , ' })).toBe(true);
    expect(sameOptions(DEFAULT_OPTIONS, { ...DEFAULT_OPTIONS, matchBody: true })).toBe(false);
  });

  it('takes an empty port (or 0) as any free port and refuses one out of range', () => {
    expect([portOf(null), portOf(''), portOf(0), portOf(8080), portOf(70000), portOf(1.5)]).toEqual([null, null, null, 8080, undefined, undefined]);
  });

  it('says who may call a mock, and what it serves, in words', () => {
    expect((['public', 'private', 'unknown'] as const).map(accessLabel)).toEqual(['Public', 'Private', 'Unknown']);
    expect(collectionLabel({ collectionName: 'Pet store', collectionUid: 'u-1' })).toBe('Pet store');
    expect(collectionLabel({ collectionName: null, collectionUid: 'u-1' })).toBe('u-1');
  });

  it('indents a JSON body and leaves any other as it came', () => {
    expect(prettyBody('{"id":"7"}')).toBe('{\n  "id": "7"\n}');
    expect(prettyBody('[1,2]')).toBe('[\n  1,\n  2\n]');
    expect(prettyBody('{not json')).toBe('{not json');
    expect(prettyBody('plain 7')).toBe('plain 7');
    expect(prettyBody(null)).toBe('');
  });
});

describe('the Live poll', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits for each tick before the next wait starts, and stops', async () => {
    vi.useFakeTimers();
    let release = () => {};
    const tick = vi.fn(() => new Promise<void>((r) => (release = r)));
    const stop = poll(tick, 10_000);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(tick).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(tick).toHaveBeenCalledTimes(1);
    // A slow answer: no second tick while the first is out.
    await vi.advanceTimersByTimeAsync(30_000);
    expect(tick).toHaveBeenCalledTimes(1);
    release();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(tick).toHaveBeenCalledTimes(2);
    release();
    stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(tick).toHaveBeenCalledTimes(2);
  });

  it('goes on after a failed tick', async () => {
    vi.useFakeTimers();
    const tick = vi.fn(() => Promise.reject(new Error('offline')));
    const stop = poll(tick, 1_000);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(tick).toHaveBeenCalledTimes(3);
    stop();
  });
});
