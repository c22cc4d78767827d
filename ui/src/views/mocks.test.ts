import { beforeAll, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import MocksView from './MocksView.svelte';
import { argsOf, errOf, okOf, okWhere } from '../testing/recorded';
import { fakeServices, renderWith } from '../testing/render';
import { typeNameToDelete } from '../testing/delete-dialog';
import { MOCKS, answered } from '../testing/scenarios';
import type { Overrides } from '../testing/fake';
import type { ExchangeOf } from '../testing/recording';
import { prettyBody } from '../mocks/mocks';
import { collectionRows } from '../collections/rows';

function setup(overrides: Overrides = {}) {
  return renderWith(MocksView, { scenario: MOCKS, overrides });
}

/** The mock the scenario made, as Rust first listed it. */
const first = () => okOf('mocks_list', MOCKS, 0).rows[0]!;
/** The collections the form lists (the library's first recorded list answers the fake). */
const listed = () => collectionRows(okWhere('library_collections', answered)).rows;

const listedWith = (errors: boolean) => (e: ExchangeOf<'mocks_list'>) =>
  e.scenario === MOCKS && 'ok' in e && e.ok.rows.length > 0 && (e.ok.rows[0]!.activeError !== null) === errors;

async function rowOf(id: string) {
  const rows = await screen.findAllByTestId('mock-row');
  return rows.find((r) => r.dataset.mockId === id)!;
}

async function selectFirst(fake: ReturnType<typeof setup>) {
  const m = first();
  await fake.user.click(within(await rowOf(m.id)).getByTestId('mock-select'));
  return { m, detail: await screen.findByTestId('mock-detail') };
}

describe('the Mocks view', () => {
  // jsdom has no layout: give elements the size of a window so the call log's virtualiser has rows to show.
  beforeAll(() => {
    Object.defineProperty(HTMLElement.prototype, 'offsetHeight', { configurable: true, get: () => 480 });
    Object.defineProperty(HTMLElement.prototype, 'offsetWidth', { configurable: true, get: () => 900 });
  });

  it('lists each mock with its collection, URL, access and calls; Rust copies the URL', async () => {
    const { user, calls } = setup();
    const m = first();
    const row = await rowOf(m.id);
    expect(row).toHaveTextContent(m.name);
    expect(row).toHaveTextContent(m.collectionName!);
    expect(row).toHaveTextContent('Private');
    expect(within(row).getByTestId('mock-row-url')).toHaveTextContent(m.url!);
    expect(row).not.toHaveTextContent('Errors on');
    expect(screen.getByTestId('mocks-freshness')).toHaveTextContent('Fetched at');
    await user.click(within(row).getByTestId('mock-row-copy-url'));
    await waitFor(() => expect(calls.of('mocks_copy_url')).toEqual([{ id: m.id }]));
    expect(await within(row).findByRole('status')).toHaveTextContent('Copied.');
  });

  it('says when a mock answers errors, in the list and in its pane', async () => {
    const fake = setup({ mocks_list: listedWith(true) });
    const m = okWhere('mocks_list', listedWith(true)).rows[0]!;
    expect(within(await rowOf(m.id)).getByTestId('mock-errors-badge')).toHaveTextContent(`Errors on (${m.activeError!.status})`);
    await fake.user.click(within(await rowOf(m.id)).getByTestId('mock-select'));
    expect(await screen.findByTestId('mock-errors-off')).toHaveTextContent('Back to examples');
  });

  it('creates a mock with the values of the form, and checks them first', async () => {
    const { user, calls } = setup();
    await user.click(await screen.findByTestId('mock-new'));
    const form = await screen.findByRole('form', { name: 'New mock' });
    // Nothing is sent without a name.
    await user.click(within(form).getByTestId('mock-form-save'));
    expect(within(form).getByTestId('mock-form-problem')).toHaveTextContent('Give the mock a name.');
    const collection = listed()[0]!;
    await waitFor(() => expect(within(form).getByRole('option', { name: collection.name })).toBeInTheDocument());
    await user.type(within(form).getByTestId('mock-form-name'), 'Pet store mock');
    await user.selectOptions(within(form).getByTestId('mock-form-collection'), collection.uid);
    // The options can be set here (the sandbox): a delay out of range is said, not sent.
    expect(okOf('mocks_list', MOCKS, 0).optionsSettable).toBe(true);
    const delay = within(form).getByTestId('mock-options-delay');
    await user.clear(delay);
    await user.type(delay, '200000');
    expect(within(form).getByTestId('mock-options-problem')).toHaveTextContent('0 to 180000');
    await user.click(within(form).getByTestId('mock-form-save'));
    expect(calls.of('mocks_create')).toEqual([]);
    await user.clear(delay);
    await user.type(delay, '0');
    expect(within(form).getByTestId('mock-form-private')).toBeChecked();
    await user.click(within(form).getByTestId('mock-form-save'));
    await waitFor(() =>
      expect(calls.of('mocks_create')).toEqual([
        {
          workspace: null,
          input: {
            name: 'Pet store mock',
            collection: collection.uid,
            environment: null,
            private: true,
            options: { delayMs: 0, matchBody: false, matchQueryParams: true, matchWildcards: true, matchHeaders: [] },
          },
        },
      ]),
    );
    await waitFor(() => expect(screen.getByTestId('mocks-status')).toHaveTextContent('Mock created.'));
    // The new mock is the one shown in the pane.
    expect(await screen.findByTestId('mock-detail')).toHaveAttribute('data-mock-id', okOf('mocks_create', MOCKS));
  });

  it('opens on the New mock form for a collection chosen beforehand (how another view offers it)', async () => {
    const collection = listed()[1]!;
    renderWith(MocksView, { scenario: MOCKS, props: { createFor: collection.uid } });
    const form = await screen.findByRole('form', { name: 'New mock' });
    await waitFor(() => expect(within(form).getByTestId('mock-form-collection')).toHaveValue(collection.uid));
  });

  it('opens on the New mock form when another view asked for it ("Mock it" in Collections), once', async () => {
    const collection = listed()[1]!;
    const fake = fakeServices({ scenario: MOCKS });
    fake.services.navigation.open({ view: 'mocks', mockCollection: collection.uid });
    render(MocksView, { context: fake.context });
    const form = await screen.findByRole('form', { name: 'New mock' });
    await waitFor(() => expect(within(form).getByTestId('mock-form-collection')).toHaveValue(collection.uid));
    expect(fake.services.navigation.requested).toBeNull();
  });

  it('edits a mock from its listed values, sending options only when they changed', async () => {
    const { user, calls } = setup();
    const m = first();
    await user.click(within(await rowOf(m.id)).getByTestId('mock-edit'));
    const form = await screen.findByRole('form', { name: `Edit ${m.name}` });
    expect(within(form).getByTestId('mock-form-collection')).toHaveValue(m.collectionUid);
    const name = within(form).getByTestId('mock-form-name');
    await user.clear(name);
    await user.type(name, 'Pets');
    await user.click(within(form).getByTestId('mock-form-private'));
    await user.click(within(form).getByTestId('mock-form-save'));
    await waitFor(() =>
      expect(calls.of('mocks_update')).toEqual([
        { id: m.id, input: { name: 'Pets', collection: m.collectionUid!, environment: null, private: false, options: null } },
      ]),
    );
  });

  it('tries the mock and says what answered, never showing the API key', async () => {
    const fake = setup();
    const { m, detail } = await selectFirst(fake);
    expect(within(detail).getByTestId('mock-url')).toHaveTextContent(m.url!);
    expect(detail).toHaveTextContent('the API key is added by Postdesk');
    const path = within(detail).getByTestId('mock-try-path');
    await fake.user.clear(path);
    await fake.user.type(path, 'pets/7');
    await fake.user.click(within(detail).getByTestId('mock-try-send'));
    await waitFor(() =>
      expect(fake.calls.of('mocks_try')).toEqual([{ id: m.id, request: { method: 'GET', path: '/pets/7', headers: [], body: null } }]),
    );
    const out = okOf('mocks_try', MOCKS, 0);
    expect(await within(detail).findByTestId('mock-try-status')).toHaveTextContent(String(out.status));
    expect(within(detail).getByTestId('mock-try-answered-by')).toHaveTextContent(`Answered by: ${out.answeredBy}`);
    expect(within(detail).getByTestId('mock-try-body').textContent).toBe(prettyBody(out.body));
  });

  it('sends the headers typed as "Key: value" lines, and refuses a line that is not one', async () => {
    const fake = setup();
    const { detail } = await selectFirst(fake);
    const headers = within(detail).getByTestId('mock-try-headers');
    await fake.user.type(headers, 'no colon');
    expect(within(detail).getByTestId('mock-try-send')).toBeDisabled();
    await fake.user.clear(headers);
    await fake.user.type(headers, 'X-Tenant: acme{Enter}Accept: application/json');
    await fake.user.click(within(detail).getByTestId('mock-try-send'));
    await waitFor(() =>
      expect(fake.calls.of('mocks_try').at(-1)!.request.headers).toEqual([
        ['X-Tenant', 'acme'],
        ['Accept', 'application/json'],
      ]),
    );
  });

  it('switches to errors with the status chosen, then back to the examples', async () => {
    const fake = setup({ mocks_list: [listedWith(false), listedWith(true), listedWith(false)] });
    const { m, detail } = await selectFirst(fake);
    await fake.user.selectOptions(within(detail).getByTestId('mock-errors-status'), '503');
    await fake.user.click(within(detail).getByTestId('mock-errors-on'));
    await waitFor(() => expect(fake.calls.of('mocks_set_errors')).toEqual([{ id: m.id, status: 503 }]));
    // The list is read again: the mock now answers its error.
    await fake.user.click(await within(detail).findByTestId('mock-errors-off'));
    await waitFor(() => expect(fake.calls.of('mocks_set_errors')).toEqual([{ id: m.id, status: 503 }, { id: m.id, status: null }]));
    expect(await within(detail).findByTestId('mock-errors-on')).toBeInTheDocument();
  });

  it('makes a mock public through Rust', async () => {
    const fake = setup();
    const { m, detail } = await selectFirst(fake);
    expect(within(detail).getByTestId('mock-make-private')).toBeDisabled();
    await fake.user.click(within(detail).getByTestId('mock-make-public'));
    await waitFor(() => expect(fake.calls.of('mocks_set_public')).toEqual([{ id: m.id, public: true }]));
    expect(within(detail).getByTestId('mock-detail-status')).toHaveTextContent('anyone with the URL may call it');
  });

  it("shows the kept calls, refreshes them from Postman, and opens a call's headers and bodies", async () => {
    const fake = setup();
    const { m, detail } = await selectFirst(fake);
    const kept = okOf('mocks_calls', MOCKS, 0);
    await waitFor(() => expect(within(detail).getAllByTestId('mock-call-row')).toHaveLength(kept.length));
    expect(fake.calls.of('mocks_calls')[0]).toEqual({ id: m.id, filter: { method: null, path: null, status: null, since: null, until: null, limit: null } });
    const rows = within(detail).getAllByTestId('mock-call-row');
    kept.forEach((c, i) => {
      expect(rows[i]).toHaveTextContent(c.method);
      expect(rows[i]).toHaveTextContent(c.path);
      expect(rows[i]).toHaveTextContent(String(c.status));
      expect(rows[i]).toHaveTextContent(c.responseName!);
    });

    await fake.user.click(within(detail).getByTestId('mock-calls-refresh'));
    await waitFor(() => expect(fake.calls.of('mocks_refresh_calls')).toEqual([{ id: m.id }]));
    await waitFor(() => expect(fake.calls.count('mocks_calls')).toBe(2));
    expect(within(detail).getByTestId('mock-calls-status-text')).toHaveTextContent('No new calls.');

    const details = okOf('mocks_call_details', MOCKS)!;
    const { callId } = argsOf('mocks_call_details', MOCKS);
    await fake.user.click(within(detail).getAllByTestId('mock-call-row').find((r) => r.dataset.callId === callId)!);
    await waitFor(() => expect(fake.calls.of('mocks_call_details')).toEqual([{ id: m.id, callId }]));
    const panel = await within(detail).findByTestId('mock-call-details');
    await waitFor(() => expect(within(panel).getByTestId('mock-call-response-body').textContent).toBe(prettyBody(details.responseBody)));
    const [key, masked] = details.requestHeaders[0]!;
    expect(within(panel).getByRole('table', { name: 'Request headers' })).toHaveTextContent(`${key}${masked}`);
  });

  it('filters the calls by method, path and status', async () => {
    const fake = setup();
    const { m, detail } = await selectFirst(fake);
    await waitFor(() => expect(fake.calls.count('mocks_calls')).toBe(1));
    await fake.user.selectOptions(within(detail).getByTestId('mock-calls-method'), 'POST');
    await fake.user.type(within(detail).getByTestId('mock-calls-path'), 'pets');
    await fake.user.type(within(detail).getByTestId('mock-calls-status'), '503');
    await waitFor(() =>
      expect(fake.calls.of('mocks_calls').at(-1)).toEqual({
        id: m.id,
        filter: { method: 'POST', path: 'pets', status: 503, since: null, until: null, limit: null },
      }),
    );
  });

  it('refreshes the calls every 10 s while Live is ticked, one refresh at a time, until unticked or closed', async () => {
    vi.useFakeTimers();
    try {
      const fake = setup();
      const hits = () => fake.calls.count('mocks_refresh_calls');
      const row = await vi.waitFor(() => screen.getAllByTestId('mock-row')[0]!);
      await fireEvent.click(within(row).getByTestId('mock-select'));
      const detail = await vi.waitFor(() => screen.getByTestId('mock-detail'));
      const live = within(detail).getByTestId('mock-calls-live');
      await fireEvent.click(live);
      await vi.advanceTimersByTimeAsync(9_999);
      expect(hits()).toBe(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(hits()).toBe(1);
      // A slow answer: the next poll waits for it.
      const slow = fake.hold('mocks_refresh_calls');
      await vi.advanceTimersByTimeAsync(10_000);
      expect(hits()).toBe(2);
      await vi.advanceTimersByTimeAsync(30_000);
      expect(hits()).toBe(2);
      slow.release();
      await vi.advanceTimersByTimeAsync(10_000);
      expect(hits()).toBe(3);
      await fireEvent.click(live);
      await vi.advanceTimersByTimeAsync(30_000);
      expect(hits()).toBe(3);
      await fireEvent.click(live);
      await vi.advanceTimersByTimeAsync(10_000);
      expect(hits()).toBe(4);
      fake.rendered.unmount();
      await vi.advanceTimersByTimeAsync(30_000);
      expect(hits()).toBe(4);
    } finally {
      vi.useRealTimers();
    }
  });

  it('exports the call log and says where it was saved', async () => {
    const fake = setup();
    const { m, detail } = await selectFirst(fake);
    await fake.user.click(within(detail).getByTestId('mock-calls-export-csv'));
    await waitFor(() => expect(fake.calls.of('mocks_export_calls')).toEqual([{ id: m.id, name: m.name, format: 'csv' }]));
    expect(await within(detail).findByTestId('mock-export-path')).toHaveTextContent(`Saved to ${okOf('mocks_export_calls', MOCKS)}`);
  });

  it('runs a collection locally, lists it with its URL, shows its calls, and stops it', async () => {
    const { user, calls } = setup();
    expect(screen.getByText('Served by Postdesk on this computer: works offline, does not count against your mock calls.')).toBeInTheDocument();
    const collection = listed()[0]!;
    const local = screen.getByRole('form', { name: 'Run a collection locally' });
    await waitFor(() => expect(within(local).getByRole('option', { name: collection.name })).toBeInTheDocument());
    await user.selectOptions(within(local).getByTestId('local-collection'), collection.uid);
    await user.click(within(local).getByTestId('local-start'));
    await waitFor(() =>
      expect(calls.of('mocks_local_start')).toEqual([{ start: { collection: collection.uid, environment: null, port: null, options: null } }]),
    );
    const started = okOf('mocks_local_start', MOCKS);
    await waitFor(() => expect(screen.getByTestId('local-status')).toHaveTextContent(`is served at ${started.url}`));
    const row = (await screen.findAllByTestId('local-row')).find((r) => r.dataset.localId === started.id)!;
    expect(within(row).getByTestId('local-url')).toHaveTextContent(started.url);

    // Its calls, in the same call log (read again from the database: no API log to read).
    await user.click(within(row).getByTestId('local-calls'));
    const log = await screen.findByRole('region', { name: /^Calls of .*\(local/ });
    const kept = okOf('mocks_calls', MOCKS, 1);
    await waitFor(() => expect(within(log).getAllByTestId('mock-call-row')).toHaveLength(kept.length));
    expect(within(log).getAllByTestId('mock-call-row')[0]).toHaveTextContent(kept[0]!.path);
    await user.click(within(log).getByTestId('mock-calls-refresh'));
    await waitFor(() => expect(calls.of('mocks_calls').filter((c) => c.id === started.id)).toHaveLength(2));
    expect(calls.of('mocks_refresh_calls')).toEqual([]);

    await user.click(within(row).getByTestId('local-stop'));
    await waitFor(() => expect(calls.of('mocks_local_stop')).toEqual([{ id: started.id }]));
    await waitFor(() => expect(screen.queryAllByTestId('local-row')).toHaveLength(0));
    expect(screen.getByTestId('local-status')).toHaveTextContent('stopped');
  });

  it('says so when a local mock was already stopped, and lists it no more', async () => {
    const { user } = setup({ mocks_local_stop: (e) => 'err' in e && e.scenario === MOCKS });
    const row = (await screen.findAllByTestId('local-row'))[0]!;
    await user.click(within(row).getByTestId('local-stop'));
    const refusal = errOf('mocks_local_stop', MOCKS);
    expect(refusal.code).toBe('mocks.localNotRunning');
    expect(await screen.findByTestId('local-list-error')).toHaveTextContent(refusal.message);
    expect(screen.queryAllByTestId('local-row')).toHaveLength(0);
  });

  it("deletes only once the exact name is typed, and says when Rust refuses the name", async () => {
    const { user, calls } = setup();
    const m = first();
    await user.click(within(await rowOf(m.id)).getByTestId('mock-delete'));
    const go = await typeNameToDelete(user, m.name, { name: 'mock-delete-confirm', go: 'mock-delete-go' });
    // Rust checks the name against the mock as Postman has it (renamed elsewhere: refused).
    await user.click(go);
    await waitFor(() => expect(calls.of('mocks_delete')).toEqual([{ id: m.id, confirmName: m.name }]));
    const refusal = errOf('mocks_delete', MOCKS);
    expect(refusal.code).toBe('mocks.nameMismatch');
    expect(await screen.findByRole('alert')).toHaveTextContent(refusal.message);
    await user.click(go);
    await waitFor(() => expect(calls.count('mocks_delete')).toBe(2));
    await waitFor(() => expect(screen.getByTestId('mocks-status')).toHaveTextContent(`${m.name} deleted`));
    expect(screen.queryByTestId('mock-delete-go')).toBeNull();
  });
});
