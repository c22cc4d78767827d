import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import MonitorsView from './MonitorsView.svelte';
import { okOf } from '../testing/recorded';
import { renderWith } from '../testing/render';
import { typeNameToDelete } from '../testing/delete-dialog';
import { MONITORS } from '../testing/scenarios';

function setup() {
  return renderWith(MonitorsView, { scenario: MONITORS });
}

/** The monitor the scenario made, as Rust first listed it. */
const first = () => okOf('monitors_list', MONITORS, 0).rows[0]!;

describe('the Monitors view', () => {
  it('lists each monitor with its schedule in words and no run yet', async () => {
    setup();
    const row = await screen.findByRole('row', { name: new RegExp(first().name) });
    expect(row).toHaveTextContent(first().schedule!);
    expect(row).toHaveTextContent('Never run');
    expect(row).toHaveTextContent('No runs kept yet');
  });

  it('runs a monitor now, says how it went, and shows the kept runs', async () => {
    const { user, calls } = setup();
    const m = first();
    await user.click(await screen.findByRole('button', { name: `Run ${m.name} now` }));
    await waitFor(() => expect(calls.of('monitors_run')).toEqual([{ id: m.id }]));
    const out = okOf('monitors_run', MONITORS);
    await waitFor(() =>
      expect(screen.getByTestId('monitors-status')).toHaveTextContent(
        `${m.name}: Failed, ${out.record.assertionsFailed} of ${out.record.assertionsTotal} assertions failed`,
      ),
    );
    // The history of the monitor is read from Rust's database.
    await waitFor(() => expect(calls.of('monitors_runs')).toContainEqual({ id: m.id, before: null }));
    const runs = await screen.findByTestId('monitor-runs');
    expect(within(runs).getAllByRole('row')).toHaveLength(okOf('monitors_runs', MONITORS, 0).length + 1);
  });

  it("opens a run's requests with each assertion and why it failed", async () => {
    const { user } = setup();
    await user.click(await screen.findByRole('button', { name: first().name }));
    const runs = await screen.findByTestId('monitor-runs');
    const opener = within(runs).getAllByRole('button')[0]!;
    await user.click(opener);
    const list = await screen.findByTestId('run-executions');
    const failed = okOf('monitors_run_details', MONITORS)!.executions.flatMap((x) => x.assertions).find((a) => !a.passed)!;
    expect(list).toHaveTextContent(`Fail ${failed.name}: ${failed.message}`);
  });

  it('pauses through Rust, sending only what changes', async () => {
    const { user, calls } = setup();
    const m = first();
    await user.click(await screen.findByRole('button', { name: `Pause ${m.name}` }));
    await waitFor(() => expect(calls.of('monitors_update')).toEqual([{ id: m.id, input: { active: false } }]));
  });

  it('edits a monitor from its listed values; the collection stays as it is', async () => {
    const { user, calls } = setup();
    const m = first();
    await user.click(await screen.findByRole('button', { name: `Edit ${m.name}` }));
    const form = await screen.findByRole('form', { name: `Edit ${m.name}` });
    expect(within(form).getByTestId('monitor-collection')).toBeDisabled();
    expect(within(form).getByTestId('monitor-cron')).toHaveValue(m.cron);
    expect(within(form).getByTestId('monitor-timezone')).toHaveValue(m.timezone);
    // The schedule as it is reads in words (Rust's preview of the same pattern).
    await waitFor(() => expect(within(form).getByTestId('schedule-preview')).toHaveTextContent(m.schedule!));
    const name = within(form).getByTestId('monitor-name');
    await user.clear(name);
    await user.type(name, 'Health, renamed');
    await user.click(within(form).getByTestId('monitor-create'));
    await waitFor(() =>
      expect(calls.of('monitors_update').at(-1)).toEqual({ id: m.id, input: { name: 'Health, renamed', cron: m.cron, timezone: m.timezone } }),
    );
  });

  it("edits the regions and e-mails, sending only what changed and the notifications whole", async () => {
    const { user, calls } = setup();
    const m = first();
    expect(m.settings).not.toBeNull();
    await user.click(await screen.findByRole('button', { name: `Edit ${m.name}` }));
    const form = await screen.findByRole('form', { name: `Edit ${m.name}` });
    await user.click(within(form).getByText('Options'));
    await user.click(within(form).getByRole('checkbox', { name: 'uk' }));
    await user.type(within(form).getByRole('textbox', { name: /E-mail on error/ }), 'ops@example.com');
    await user.type(within(form).getByRole('spinbutton', { name: /Stop e-mails after/ }), '3');
    await user.click(within(form).getByTestId('monitor-create'));
    await waitFor(() =>
      expect(calls.of('monitors_update').at(-1)).toEqual({
        id: m.id,
        input: {
          name: m.name,
          cron: m.cron,
          timezone: m.timezone,
          regions: ['uk'],
          notificationLimit: 3,
          onErrorEmails: ['ops@example.com'],
          onFailureEmails: m.settings!.onFailureEmails,
        },
      }),
    );
  });

  it('says what the API would refuse in the options before sending', async () => {
    const { user, calls } = setup();
    const m = first();
    await user.click(await screen.findByRole('button', { name: `Edit ${m.name}` }));
    const form = await screen.findByRole('form', { name: `Edit ${m.name}` });
    await user.click(within(form).getByText('Options'));
    const six = Array.from({ length: 6 }, (_, i) => `p${i}@example.com`).join(', ');
    await user.type(within(form).getByRole('textbox', { name: /E-mail on failure/ }), six);
    expect(within(form).getByTestId('monitor-options-problem')).toHaveTextContent('At most 5 e-mail addresses');
    expect(within(form).getByTestId('monitor-create')).toBeDisabled();
    expect(calls.of('monitors_update')).toEqual([]);
  });

  it('deletes only once the exact name is typed', async () => {
    const { user, calls } = setup();
    const m = first();
    await user.click(await screen.findByRole('button', { name: `Delete ${m.name}` }));
    await user.click(await typeNameToDelete(user, m.name));
    await waitFor(() => expect(calls.of('monitors_delete').at(-1)).toEqual({ id: m.id, confirmName: m.name }));
  });
});
