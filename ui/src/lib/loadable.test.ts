import { describe, expect, it } from 'vitest';
import { ListChoices } from './list-choices.svelte';
import { Loadable } from './loadable.svelte';
import { fakeApi } from '../testing/fake';
import { argsOf, errOf, okOf } from '../testing/recorded';
import { ENGINE, MONITORS, POSTMAN_DOWN, answered, refused } from '../testing/scenarios';

describe('Loadable', () => {
  it('reads the value, and keeps it beside the error when a refresh fails', async () => {
    const { api, calls } = fakeApi({ overrides: { engine_usage: [answered, refused('api.server')] } });
    const usage = new Loadable((force) => api.engineUsage({ force }));
    expect(usage.loading).toBe(false);
    const read = usage.load(false);
    expect(usage.loading).toBe(true);
    await read;
    expect(usage.value).toEqual(okOf('engine_usage'));
    expect(usage.error).toBeNull();
    await usage.load(true);
    expect(usage.value).toEqual(okOf('engine_usage'));
    expect(usage.error).toBe(errOf('engine_usage', POSTMAN_DOWN).message);
    expect(usage.loading).toBe(false);
    expect(calls.of('engine_usage')).toEqual([{ force: false }, { force: true }]);
  });

  it('starts as loading when asked to, and ignores a read under way once the value is forgotten', async () => {
    const fake = fakeApi({ scenario: ENGINE });
    const usage = new Loadable((force) => fake.api.engineUsage({ force }), { loading: true });
    expect(usage.loading).toBe(true);
    await usage.load(false);
    expect(usage.value).not.toBeNull();
    const gate = fake.hold('engine_usage');
    const stale = usage.load(true);
    usage.clear();
    gate.release();
    await stale;
    expect(usage.value).toBeNull();
    expect(usage.error).toBeNull();
  });
});

describe('ListChoices', () => {
  async function setup() {
    const fake = fakeApi({ scenario: MONITORS });
    const { workspace } = argsOf('monitors_list', MONITORS);
    const monitors = new Loadable((force) => fake.api.monitorsList({ workspace, force }));
    await monitors.load(false);
    const choices = new ListChoices(() => monitors.value?.rows ?? [], () => monitors.load(true));
    const del = (row: { id: string }, confirmName: string) => fake.api.monitorsDelete({ id: row.id, confirmName });
    return { ...fake, workspace, choices, del, first: monitors.value!.rows[0]! };
  }

  it('selects a row, and nothing when it is chosen again', async () => {
    const { choices, first } = await setup();
    expect(first).toEqual(okOf('monitors_list', MONITORS, 0).rows[0]);
    choices.toggle(first);
    expect(choices.selected).toEqual(first);
    choices.toggle(first);
    expect(choices.selected).toBeNull();
  });

  it('closes the form on a save, says what was saved, selects it and reads the list again', async () => {
    const { choices, first, calls, workspace } = await setup();
    choices.edit(first);
    expect([choices.creating, choices.editing]).toEqual([false, first]);
    await choices.saved(first.id, 'Monitor created.');
    expect(choices.status).toBe(`${first.name}: changes saved.`);
    expect([choices.creating, choices.editing, choices.selectedId]).toEqual([false, null, first.id]);
    choices.openNew();
    expect([choices.creating, choices.editing]).toEqual([true, null]);
    await choices.saved(first.id, 'Monitor created.');
    expect(choices.status).toBe('Monitor created.');
    expect(calls.of('monitors_list').slice(1)).toEqual([{ workspace, force: true }, { workspace, force: true }]);
  });

  it('deletes the row being confirmed only with its name, then says what went with it', async () => {
    const { choices, first, del, calls } = await setup();
    choices.toggle(first);
    choices.deleting = first;
    // Recorded: the name in another case is refused by Rust; the dialog stays open.
    expect(await choices.remove(first.name.toLowerCase(), del, 'its history')).toBe(errOf('monitors_delete', MONITORS).message);
    expect(choices.deleting).toEqual(first);
    expect(await choices.remove(first.name, del, 'its history')).toBeNull();
    expect([choices.deleting, choices.selectedId]).toEqual([null, null]);
    expect(choices.status).toBe(`${first.name} deleted, with its history.`);
    expect(calls.of('monitors_delete').map((a) => a.confirmName)).toEqual([first.name.toLowerCase(), first.name]);
  });
});
