import { beforeEach, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import EnvironmentsView from './EnvironmentsView.svelte';
import { resetRestored } from '../collections/restored';
import type { FakeOptions } from '../testing/fake';
import { argsOf, errOf, okOf, okWhere } from '../testing/recorded';
import { renderWith } from '../testing/render';
import { ENV_ELSEWHERE, ENVIRONMENT, POSTMAN_DOWN, answered, refused, remembersWorkspace } from '../testing/scenarios';

beforeEach(() => resetRestored());

function setup(options: FakeOptions = {}) {
  return renderWith(EnvironmentsView, { scenario: ENVIRONMENT, ...options });
}

/** The environment the recorder made, as Rust first showed it, and after the first edit. */
const opened = () => okOf('library_open_environment', ENVIRONMENT);
const edited = () => okOf('library_edit_environment', ENVIRONMENT);

async function openIt(user: ReturnType<typeof setup>['user']) {
  await user.click(await screen.findByRole('button', { name: new RegExp(`^${opened().name}`) }));
  return screen.findByTestId('environment-detail');
}

/** Types into the name and leaves the field: the edit is sent. */
async function rename(user: ReturnType<typeof setup>['user'], to: string) {
  const name = screen.getByTestId('environment-name');
  await user.clear(name);
  await user.type(name, to);
  await user.tab();
}

describe('Environments view', () => {
  it('lists, filters and opens an environment; the secret values Rust answers stay masked', async () => {
    const { user, calls } = setup();
    const rows = okOf('library_environments', ENVIRONMENT).rows;
    expect(await screen.findByTestId('environment-count')).toHaveTextContent(`${rows.length} of ${rows.length}`);
    await user.type(screen.getByTestId('environment-filter'), opened().name.slice(0, 4).toLowerCase());
    const shown = rows.filter((r) => r.name.toLowerCase().includes(opened().name.slice(0, 4).toLowerCase()));
    expect(screen.getByTestId('environment-count')).toHaveTextContent(`${shown.length} of ${rows.length}`);
    await openIt(user);
    expect(calls.of('library_open_environment')).toEqual([{ id: opened().id, force: false }]);
    expect(screen.getByTestId('environment-name')).toHaveValue(opened().name);
    expect(screen.queryByTestId('draft-badge')).toBeNull();
    // The edit's answer holds a secret: the table shows what Rust answered, masked.
    await rename(user, edited().name);
    const detail = await screen.findByTestId('environment-detail');
    const secret = edited().values.find((v) => v.type === 'secret')!;
    const plain = edited().values.find((v) => v.type !== 'secret')!;
    const input = await within(detail).findByLabelText(`Value of variable ${secret.key}`);
    expect(input).toHaveAttribute('type', 'password');
    expect(input).toHaveValue(secret.value);
    expect(within(detail).getByLabelText(`Value of variable ${plain.key}`)).toHaveAttribute('type', 'text');
    expect(document.body.textContent).not.toContain(secret.value);
    await user.click(within(detail).getByRole('button', { name: `Reveal value of variable ${secret.key}` }));
    expect(input).toHaveAttribute('type', 'text');
  });

  it('starts in the workspace Rust remembers', async () => {
    const { calls } = setup({ overrides: { prefs_get: remembersWorkspace } });
    const remembered = okWhere('prefs_get', remembersWorkspace).workspace;
    await waitFor(() => expect(calls.of('library_environments')[0]).toEqual({ workspace: remembered, force: false }));
  });

  it('sends the whole table once typing pauses or the field is left', async () => {
    const { user, calls } = setup({ overrides: { library_edit_environment: answered } });
    await openIt(user);
    const name = screen.getByTestId('environment-name');
    await user.type(name, ' EU');
    expect(calls.count('library_edit_environment')).toBe(0);
    await user.tab();
    await waitFor(() => expect(calls.count('library_edit_environment')).toBe(1));
    expect(calls.of('library_edit_environment')[0]).toEqual({ id: opened().id, name: `${opened().name} EU`, values: opened().values });
    expect(await screen.findByTestId('draft-badge')).toHaveTextContent('Unsaved changes — kept locally');
    // Rust's answer is shown; typing in it is sent once typing pauses.
    const [first] = edited().values;
    await user.type(await screen.findByLabelText(`Value of variable ${first!.key}`), '/v2');
    await waitFor(() => expect(calls.count('library_edit_environment')).toBe(2), { timeout: 1000 });
    expect(calls.of('library_edit_environment')[1]!.values[0]!.value).toBe(`${first!.value}/v2`);
  });

  it('sends what was typed before saving, and says when Rust refused the edit', async () => {
    const { user, calls } = setup({ overrides: { library_edit_environment: [refused('library.invalidEdit'), answered] } });
    await openIt(user);
    const name = screen.getByTestId('environment-name');
    await user.clear(name);
    await user.type(name, ' ');
    await user.click(screen.getByTestId('save'));
    expect(await screen.findByTestId('edit-error')).toHaveTextContent(`Not stored: ${errOf('library_edit_environment', ENVIRONMENT).message}`);
    expect(calls.count('library_save')).toBe(0);
    await user.clear(name);
    await user.type(name, 'Staging EU');
    await user.click(screen.getByTestId('save'));
    await waitFor(() => expect(calls.of('library_save')).toEqual([{ kind: 'environment', id: opened().id, overwrite: false }]));
    expect(calls.commands('library_').filter((c) => c === 'library_edit_environment' || c === 'library_save')).toEqual([
      'library_edit_environment',
      'library_edit_environment',
      'library_save',
    ]);
    await waitFor(() => expect(screen.getByTestId('status')).toHaveTextContent(`Saved "${edited().name}" (full update).`));
    expect(screen.queryByTestId('edit-error')).toBeNull();
  });

  it('shows the conflict; "Keep mine" saves over theirs', async () => {
    // Rust's answers when the environment had changed on the server: both versions, then saved.
    const { user, calls } = setup({ overrides: { library_save: ENV_ELSEWHERE } });
    await openIt(user);
    await rename(user, edited().name);
    await user.click(screen.getByTestId('save'));
    const conflict = await screen.findByTestId('conflict');
    const outcome = okOf('library_save', ENV_ELSEWHERE, 0);
    if (outcome.outcome !== 'conflict') throw new Error('the first recorded save is a conflict');
    expect(conflict).toHaveTextContent((outcome.theirs as { name: string }).name);
    await user.click(within(conflict).getByRole('button', { name: 'Keep mine (overwrite)' }));
    expect(calls.of('library_save')).toEqual([
      { kind: 'environment', id: opened().id, overwrite: false },
      { kind: 'environment', id: opened().id, overwrite: true },
    ]);
    await waitFor(() => expect(screen.queryByTestId('conflict')).toBeNull());
  });

  it('discards the unsaved changes after a confirmation and shows Rust\'s version again', async () => {
    const { user, calls } = setup();
    await openIt(user);
    await rename(user, edited().name);
    await screen.findByTestId('draft-badge');
    await user.click(screen.getByTestId('discard'));
    await user.click(screen.getByTestId('confirm-discard'));
    expect(calls.of('library_discard')).toEqual([{ kind: 'environment', id: opened().id }]);
    await waitFor(() => expect(screen.getByTestId('environment-name')).toHaveValue(opened().name));
    expect(screen.queryByTestId('draft-badge')).toBeNull();
    expect(screen.getByTestId('status')).toHaveTextContent('Discarded the unsaved changes.');
  });

  it('deletes only once the exact name is typed, and shows why Rust refused', async () => {
    const { user, calls } = setup();
    await openIt(user);
    await user.click(screen.getByTestId('delete-environment'));
    const confirm = screen.getByTestId('confirm-delete');
    expect(confirm).toBeDisabled();
    await user.type(screen.getByTestId('confirm-name'), opened().name.slice(0, -1));
    expect(confirm).toBeDisabled();
    await user.type(screen.getByTestId('confirm-name'), opened().name.slice(-1));
    await user.click(confirm);
    expect(calls.of('library_delete_environment')).toEqual([argsOf('library_delete_environment', ENVIRONMENT, 0)]);
    // Recorded: by then the name on the server was another one.
    expect(await within(screen.getByRole('dialog')).findByRole('alert')).toHaveTextContent(errOf('library_delete_environment', ENVIRONMENT).message);
    expect(screen.getByTestId('environment-detail')).toBeInTheDocument();
  });

  it('closes the environment Rust deleted', async () => {
    const { user } = setup({ overrides: { library_delete_environment: answered } });
    await openIt(user);
    await user.click(screen.getByTestId('delete-environment'));
    await user.type(screen.getByTestId('confirm-name'), opened().name);
    await user.click(screen.getByTestId('confirm-delete'));
    await waitFor(() => expect(screen.queryByTestId('environment-detail')).toBeNull());
    expect(screen.getByTestId('status')).toHaveTextContent(`Deleted "${opened().name}".`);
  });

  it('exports, creates and opens, and shows why an import was refused', async () => {
    const { user, calls } = setup();
    await openIt(user);
    await user.click(screen.getByTestId('export'));
    expect(await screen.findByTestId('status')).toHaveTextContent(`Exported to ${okOf('library_export_environment', ENVIRONMENT)}`);
    const made = okOf('library_create_environment', ENVIRONMENT);
    await user.click(screen.getByTestId('new-open'));
    await user.type(screen.getByTestId('new-name'), `${made.name}{Enter}`);
    expect(calls.of('library_create_environment')).toEqual([{ workspace: null, name: made.name, import: null }]);
    await waitFor(() => expect(calls.of('library_open_environment').at(-1)).toEqual({ id: made.id, force: false }));
    await user.click(screen.getByTestId('import-open'));
    await user.click(screen.getByTestId('import-text'));
    const bad = argsOf('library_create_environment', ENVIRONMENT, 1).import!;
    await user.paste(bad);
    await user.click(screen.getByTestId('create-submit'));
    expect(calls.of('library_create_environment').at(-1)).toEqual({ workspace: null, name: null, import: bad });
    expect(await screen.findByTestId('create-error')).toHaveTextContent(errOf('library_create_environment', ENVIRONMENT).message);
  });

  it('offers the environment drafts restored from disk', async () => {
    setup({ overrides: { library_drafts: ENV_ELSEWHERE } });
    const [draft] = okOf('library_drafts', ENV_ELSEWHERE).drafts;
    expect(draft!.kind).toBe('environment');
    const banner = await screen.findByTestId('restored-drafts');
    expect(banner).toHaveTextContent('1 unsaved draft restored');
    expect(within(banner).getByRole('button', { name: `Open the draft of ${draft!.name}` })).toBeInTheDocument();
  });

  it('says why the list could not be loaded', async () => {
    setup({ overrides: { library_environments: POSTMAN_DOWN } });
    expect(await screen.findByTestId('list-error')).toHaveTextContent(errOf('library_environments', POSTMAN_DOWN).message);
  });
});
