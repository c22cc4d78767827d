import { describe, expect, it } from 'vitest';
import { OpenRow } from './open-row.svelte';
import { fakeApi } from '../testing/fake';
import { argsOf, okOf } from '../testing/recorded';
import { MOCKS } from '../testing/scenarios';
import type { CallDetails } from '../bindings/CallDetails';

const NONE = 'Only the summary of this call is kept.';

describe('OpenRow', () => {
  it('opens a row with the details read for it, and closes it when it is opened again', async () => {
    const { api } = fakeApi({ scenario: MOCKS });
    const args = argsOf('mocks_call_details', MOCKS);
    const row = new OpenRow<CallDetails>();
    const opening = row.toggle(args.callId, () => api.mocksCallDetails(args), NONE);
    expect([row.id, row.details, row.note]).toEqual([args.callId, null, null]);
    await opening;
    expect(row.details).toEqual(okOf('mocks_call_details', MOCKS));
    expect(row.note).toBeNull();
    await row.toggle(args.callId, () => api.mocksCallDetails(args), NONE);
    expect(row.id).toBeNull();
  });

  it('says at once that there are no details when none are kept, and shows only the open row\'s answer', async () => {
    const fake = fakeApi({ scenario: MOCKS });
    const args = argsOf('mocks_call_details', MOCKS);
    const row = new OpenRow<CallDetails>();
    const gate = fake.hold('mocks_call_details');
    const first = row.toggle(args.callId, () => fake.api.mocksCallDetails(args), NONE);
    void row.toggle('another call', null, NONE);
    expect([row.id, row.note]).toEqual(['another call', NONE]);
    gate.release();
    await first;
    expect([row.id, row.details, row.note]).toEqual(['another call', null, NONE]);
    row.close();
    expect([row.id, row.details, row.note]).toEqual([null, null, null]);
  });
});
