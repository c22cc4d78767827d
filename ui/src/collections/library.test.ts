import { describe, expect, it, vi } from 'vitest';
import { flushSync } from 'svelte';
import {
  IMPORT_MAX_BYTES,
  WORKSPACE_KEY,
  byteLength,
  draftsOfKind,
  errorText,
  importTooLarge,
  loadWorkspace,
  progressStep,
  progressText,
  readImportFile,
  savedText,
  storeWorkspace,
  summaryOf,
} from './library';
import { SaveFlow } from './save-flow.svelte';
import { AppError } from '../platform/ipc';
import type { SaveOutcome } from '../bindings/SaveOutcome';
import type { SaveProgressEvent } from '../bindings/SaveProgressEvent';

describe('library helpers', () => {
  it('remembers the workspace, and survives a storage that throws', () => {
    const map = new Map<string, string>();
    const store = { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), removeItem: (k: string) => void map.delete(k) };
    expect(loadWorkspace(store)).toBeNull();
    storeWorkspace('ws-1', store);
    expect(map.get(WORKSPACE_KEY)).toBe('ws-1');
    expect(loadWorkspace(store)).toBe('ws-1');
    storeWorkspace(null, store);
    expect(map.has(WORKSPACE_KEY)).toBe(false);
    const broken = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); }, removeItem: () => {} };
    expect(loadWorkspace(broken)).toBeNull();
    expect(() => storeWorkspace('x', broken)).not.toThrow();
    expect(loadWorkspace(null)).toBeNull();
  });

  it('measures text as UTF-8 and refuses imports over 30 MB', () => {
    expect(byteLength('é€')).toBe(5);
    expect(importTooLarge(IMPORT_MAX_BYTES)).toBeNull();
    expect(importTooLarge(IMPORT_MAX_BYTES + 1)).toBe('This file is 30.0 MB; Postman accepts at most 30.0 MB. Nothing was sent.');
  });

  it('says where a save is', () => {
    expect(progressText({ stage: 'checking' })).toBe('Checking the server version…');
    expect(progressText({ stage: 'sending', method: 'patch', bytes: 512 })).toBe('Sending 512 B (partial update)…');
    expect(progressText({ stage: 'waiting', polls: 3, elapsedMs: 4_400 })).toBe('Waiting for Postman to finish (4 s, check 3)…');
    expect(progressText({ stage: 'confirming' })).toBe('Confirming…');
    expect(progressStep({ stage: 'waiting', polls: 1, elapsedMs: 0 })).toBe(3);
    expect(savedText('A', 'unchanged')).toBe('"A" had no changes to save.');
    expect(savedText('A', 'putAsync')).toBe('Saved "A" (full update in the background).');
  });

  it('writes an error as line, column, path and message', () => {
    expect(errorText({ line: 2, column: 5, path: 'item[0].request.url', message: 'expected a string' })).toBe(
      'line 2, column 5 — item[0].request.url: expected a string',
    );
    expect(errorText({ line: 1, column: 1, path: '', message: 'not JSON' })).toBe('line 1, column 1 — not JSON');
  });

  it('adapts list rows and picks the drafts of one kind, oldest first', () => {
    expect(summaryOf({ uid: 'u', id: 'i', name: 'N', owner: null, updatedAt: null, isFork: false, hasDraft: true }, true)).toEqual({
      uid: 'u', name: 'N', updatedAt: '', owner: '', unsaved: true,
    });
    const d = (kind: 'collection' | 'environment', id: string, savedAtMs: number) => ({ kind, id, name: id, savedAtMs, baseUpdatedAt: null });
    expect(draftsOfKind([d('collection', 'b', 2), d('environment', 'e', 0), d('collection', 'a', 1)], 'collection').map((x) => x.id)).toEqual(['a', 'b']);
  });

  it('reads a chosen file, refusing a too large one without reading it', async () => {
    await expect(readImportFile(new File(['{"a":1}'], 'a.json'))).resolves.toBe('{"a":1}');
    const big = new File(['x'], 'big.json');
    Object.defineProperty(big, 'size', { value: IMPORT_MAX_BYTES + 1 });
    await expect(readImportFile(big)).rejects.toThrow('Nothing was sent.');
  });
});

describe('SaveFlow', () => {
  function flowWith(save: (...a: unknown[]) => Promise<SaveOutcome>, withEvents = true) {
    let emit: (e: SaveProgressEvent) => void = () => {};
    const commands = {
      save: vi.fn(save),
      discard: vi.fn(async () => null),
      ...(withEvents
        ? {
            onSaveProgress: vi.fn(async (h: (e: SaveProgressEvent) => void) => {
              emit = h;
              return () => (emit = () => {});
            }),
          }
        : {}),
    };
    const flow = new SaveFlow(commands, 'collection');
    return { flow, commands, emit: (e: SaveProgressEvent) => emit(e) };
  }

  it('follows the progress of its own save only, and reports how it was written', async () => {
    let finish: (o: SaveOutcome) => void = () => {};
    const { flow, emit } = flowWith(() => new Promise((r) => (finish = r)));
    const stop = flow.listen();
    await Promise.resolve();
    flow.switchTo('c-1');
    const saving = flow.save(false);
    expect(flow.saving).toBe(true);
    emit({ kind: 'collection', id: 'c-1', progress: { stage: 'checking' } });
    emit({ kind: 'environment', id: 'c-1', progress: { stage: 'confirming' } });
    flushSync();
    expect(flow.progress).toEqual({ stage: 'checking' });
    expect(await flow.save(false)).toBeNull(); // one save at a time
    finish({ outcome: 'saved', method: 'patch', updatedAt: 't' });
    expect(await saving).toEqual({ method: 'patch', updatedAt: 't' });
    expect(flow.saving).toBe(false);
    expect(flow.progress).toBeNull();
    stop();
  });

  it('keeps the failure message and the conflict, and works without progress events', async () => {
    const outcomes: (SaveOutcome | Error)[] = [new AppError('x', 'Offline.'), { outcome: 'conflict', mine: 1, theirs: 2 }];
    const { flow, commands } = flowWith(async () => {
      const o = outcomes.shift()!;
      if (o instanceof Error) throw o;
      return o;
    }, false);
    flow.listen()();
    flow.switchTo('c-1');
    expect(await flow.save(false)).toBeNull();
    expect(flow.error).toBe('Offline.');
    expect(await flow.save(false)).toBeNull();
    expect(flow.error).toBeNull();
    expect(flow.conflict).toEqual({ mine: 1, theirs: 2 });
    expect(await flow.discard()).toBe(true);
    expect(commands.discard).toHaveBeenCalledWith('collection', 'c-1');
    expect(flow.conflict).toBeNull();
    flow.switchTo(null);
    expect(await flow.save(false)).toBeNull();
    expect(commands.save).toHaveBeenCalledTimes(2);
  });
});

describe('restored drafts', () => {
  it('announces the drafts found first, not the ones made since, until handled or dismissed', async () => {
    const { forgetRestored, resetRestored, restoredDrafts } = await import('./restored');
    resetRestored();
    const d = (kind: 'collection' | 'environment', id: string) => ({ kind, id, name: id, savedAtMs: 1, baseUpdatedAt: null });
    expect(restoredDrafts('collection', [d('collection', 'a'), d('environment', 'e')]).map((x) => x.id)).toEqual(['a']);
    expect(restoredDrafts('collection', [d('collection', 'a'), d('collection', 'new')]).map((x) => x.id)).toEqual(['a']);
    forgetRestored('collection', 'a');
    expect(restoredDrafts('collection', [d('collection', 'a')])).toEqual([]);
    expect(restoredDrafts('environment', [d('environment', 'e')]).map((x) => x.id)).toEqual(['e']);
    forgetRestored('environment');
    expect(restoredDrafts('environment', [d('environment', 'e')])).toEqual([]);
  });
});
