import { describe, expect, it } from 'vitest';
import { flushSync } from 'svelte';
import {
  IMPORT_MAX_BYTES,
  byteLength,
  draftsOfKind,
  errorText,
  importTooLarge,
  progressStep,
  progressText,
  savedText,
} from './library';
import { SaveFlow } from './save-flow.svelte';
import { systemClock } from '../lib/clock';
import { EventStore } from '../services/events.svelte';
import { documentKey } from '../services/services';
import { fakeApi } from '../testing/fake';
import { okOf, payloadOf } from '../testing/recorded';
import { CONFLICT, IMPORT } from '../testing/scenarios';

describe('library helpers', () => {
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

  it('picks the drafts of one kind, oldest first', () => {
    const d = (kind: 'collection' | 'environment', id: string, savedAtMs: number) => ({ kind, id, name: id, savedAtMs, baseUpdatedAt: null });
    expect(draftsOfKind([d('collection', 'b', 2), d('environment', 'e', 0), d('collection', 'a', 1)], 'collection').map((x) => x.id)).toEqual(['a', 'b']);
  });

  it('refuses pasted JSON over the limit before sending it', () => {
    expect(importTooLarge(IMPORT_MAX_BYTES)).toBeNull();
    expect(importTooLarge(IMPORT_MAX_BYTES + 1)).toContain('Nothing was sent.');
  });
});

describe('SaveFlow', () => {
  function flowOf(scenario: string) {
    const fake = fakeApi({ scenario });
    const progress = new EventStore('save-progress', fake.listen, systemClock, (e) => documentKey(e.kind, e.id));
    return { ...fake, progress, flow: new SaveFlow(fake.api, progress, 'collection') };
  }

  it('follows the progress of its own save only, and reports how Rust wrote it', async () => {
    const { flow, progress, emit, hold } = flowOf(IMPORT);
    await progress.ready;
    const event = payloadOf('save-progress', IMPORT);
    flow.switchTo(event.id);
    // An event before the save is not this save's.
    emit('save-progress');
    const gate = hold('library_save');
    const saving = flow.save(false);
    expect(flow.saving).toBe(true);
    expect(flow.progress).toBeNull();
    emit('save-progress');
    flushSync();
    expect(flow.progress).toEqual(event.progress);
    expect(await flow.save(false)).toBeNull(); // one save at a time
    gate.release();
    const saved = okOf('library_save', IMPORT);
    if (saved.outcome !== 'saved') throw new Error('the recorded save succeeded');
    expect(await saving).toEqual({ method: saved.method, updatedAt: saved.updatedAt });
    expect(flow.saving).toBe(false);
    expect(flow.progress).toBeNull();
    // Another document's flow sees none of it.
    const other = new SaveFlow(fakeApi().api, progress, 'environment');
    other.switchTo(event.id);
    expect(other.progress).toBeNull();
  });

  it('keeps the conflict Rust reports, overwrites on request, and discards', async () => {
    const { flow, calls } = flowOf(CONFLICT);
    const id = okOf('library_open_collection', CONFLICT).uid;
    flow.switchTo(id);
    expect(await flow.save(false)).toBeNull();
    const outcome = okOf('library_save', CONFLICT, 0);
    if (outcome.outcome !== 'conflict') throw new Error('the first recorded save is a conflict');
    expect(flow.conflict).toEqual({ mine: outcome.mine, theirs: outcome.theirs });
    expect(flow.error).toBeNull();
    expect(await flow.save(true)).toMatchObject({ method: 'patch' });
    expect(flow.conflict).toBeNull();
    expect(await flow.discard()).toBe(true);
    expect(calls.of('library_discard')).toEqual([{ kind: 'collection', id }]);
    flow.switchTo(null);
    expect(await flow.save(false)).toBeNull();
    expect(calls.count('library_save')).toBe(2);
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
