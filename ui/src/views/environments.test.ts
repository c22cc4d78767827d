import { beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import EnvironmentsView from './EnvironmentsView.svelte';
import { AppError } from '../platform/ipc';
import { resetRestored } from '../collections/restored';
import { fakeCommands } from '../test-fakes';
import type { SaveOutcome } from '../bindings/SaveOutcome';

beforeEach(() => {
  localStorage.clear();
  resetRestored();
});

function setup(over: Parameters<typeof fakeCommands>[0] = {}) {
  const user = userEvent.setup();
  const fake = fakeCommands(over);
  render(EnvironmentsView, { props: { commands: fake.commands } });
  return { user, ...fake };
}

async function openStaging(user: ReturnType<typeof userEvent.setup>) {
  await user.click(await screen.findByRole('button', { name: /Staging/ }));
  return screen.findByTestId('environment-detail');
}

describe('Environments view', () => {
  it('lists, filters and opens an environment with its secret values masked', async () => {
    const { user, commands } = setup();
    expect(await screen.findByTestId('environment-count')).toHaveTextContent('2 of 2');
    await user.type(screen.getByTestId('environment-filter'), 'stag');
    expect(screen.getByTestId('environment-count')).toHaveTextContent('1 of 2');
    expect(screen.queryByRole('button', { name: /Production/ })).toBeNull();
    const detail = await openStaging(user);
    expect(commands.openEnvironment).toHaveBeenCalledWith('e-1', false);
    expect(screen.getByTestId('environment-name')).toHaveValue('Staging');
    const secret = within(detail).getByLabelText('Value of variable token');
    expect(secret).toHaveAttribute('type', 'password');
    expect(within(detail).getByLabelText('Value of variable baseUrl')).toHaveAttribute('type', 'text');
    await user.click(within(detail).getByRole('button', { name: 'Reveal value of variable token' }));
    expect(secret).toHaveAttribute('type', 'text');
    expect(screen.queryByTestId('draft-badge')).toBeNull();
  });

  it('shares the remembered workspace with the Collections view', async () => {
    localStorage.setItem('postdesk.workspace', 'ws-2');
    const { user, commands } = setup();
    expect(commands.environments).toHaveBeenCalledWith('ws-2', false);
    expect(await screen.findByRole('button', { name: /Production/ })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Staging/ })).toBeNull();
    await screen.findByRole('option', { name: 'My Workspace (personal)' });
    await user.selectOptions(screen.getByTestId('workspace-switcher'), '');
    expect(commands.environments).toHaveBeenLastCalledWith(null, false);
    expect(localStorage.getItem('postdesk.workspace')).toBeNull();
  });

  it('sends the whole table once typing pauses or the field is left', async () => {
    const { user, commands } = setup();
    await openStaging(user);
    const name = screen.getByTestId('environment-name');
    await user.type(name, ' EU');
    expect(commands.editEnvironment).not.toHaveBeenCalled();
    await user.tab();
    await waitFor(() => expect(commands.editEnvironment).toHaveBeenCalledTimes(1));
    expect(commands.editEnvironment).toHaveBeenCalledWith('e-1', 'Staging EU', [
      { key: 'baseUrl', value: 'https://staging.example.test', type: 'default', enabled: true, description: '' },
      { key: 'token', value: 's3cr3t-token', type: 'secret', enabled: true, description: 'API token' },
    ]);
    expect(await screen.findByTestId('draft-badge')).toHaveTextContent('Unsaved changes — kept locally');
    await user.type(screen.getByLabelText('Value of variable baseUrl'), '/v2');
    await waitFor(() => expect(commands.editEnvironment).toHaveBeenCalledTimes(2), { timeout: 1000 });
    expect(vi.mocked(commands.editEnvironment).mock.lastCall![2][0]!.value).toBe('https://staging.example.test/v2');
  });

  it('sends what was typed before saving, and says when an edit is refused', async () => {
    const { user, commands } = setup();
    await openStaging(user);
    const name = screen.getByTestId('environment-name');
    await user.clear(name);
    await user.click(screen.getByTestId('save'));
    expect(await screen.findByTestId('edit-error')).toHaveTextContent('An environment needs a name.');
    expect(commands.save).not.toHaveBeenCalled();
    await user.type(name, 'Stage');
    await user.click(screen.getByTestId('save'));
    await waitFor(() => expect(commands.save).toHaveBeenCalledWith('environment', 'e-1', false));
    expect(commands.editEnvironment).toHaveBeenLastCalledWith('e-1', 'Stage', expect.any(Array));
    expect(vi.mocked(commands.editEnvironment).mock.invocationCallOrder.at(-1)!).toBeLessThan(vi.mocked(commands.save).mock.invocationCallOrder[0]!);
    await waitFor(() => expect(screen.getByTestId('status')).toHaveTextContent('Saved "Stage" (partial update).'));
    await waitFor(() => expect(screen.queryByTestId('draft-badge')).toBeNull());
    expect(screen.getByRole('button', { name: /Stage/ })).toBeInTheDocument();
  });

  it('shows the conflict; "Keep mine" saves over theirs', async () => {
    const save = vi
      .fn<(...a: unknown[]) => Promise<SaveOutcome>>()
      .mockResolvedValueOnce({ outcome: 'conflict', mine: { name: 'Staging 2' }, theirs: { name: 'Staging (online)' } })
      .mockResolvedValueOnce({ outcome: 'saved', method: 'put', updatedAt: null });
    const { user } = setup({ save });
    await openStaging(user);
    await user.type(screen.getByTestId('environment-name'), ' 2');
    await user.click(screen.getByTestId('save'));
    const conflict = await screen.findByTestId('conflict');
    expect(conflict).toHaveTextContent('Staging (online)');
    await user.click(within(conflict).getByRole('button', { name: 'Keep mine (overwrite)' }));
    expect(save).toHaveBeenLastCalledWith('environment', 'e-1', true);
    await waitFor(() => expect(screen.queryByTestId('conflict')).toBeNull());
  });

  it('says why a save failed and retries it', async () => {
    const save = vi
      .fn<(...a: unknown[]) => Promise<SaveOutcome>>()
      .mockRejectedValueOnce(new AppError('api.timeout', 'Postman did not answer in time.'))
      .mockResolvedValueOnce({ outcome: 'saved', method: 'patch', updatedAt: null });
    const { user } = setup({ save });
    await openStaging(user);
    await user.type(screen.getByTestId('environment-name'), ' 2');
    await user.click(screen.getByTestId('save'));
    const alert = await screen.findByTestId('save-error');
    expect(alert).toHaveTextContent('Postman did not answer in time.');
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(screen.queryByTestId('save-error')).toBeNull());
    expect(save).toHaveBeenCalledTimes(2);
  });

  it('discards the unsaved changes after a confirmation', async () => {
    const { user, commands } = setup();
    await openStaging(user);
    await user.type(screen.getByTestId('environment-name'), ' 2');
    await user.tab();
    await screen.findByTestId('draft-badge');
    await user.click(screen.getByTestId('discard'));
    await user.click(screen.getByTestId('confirm-discard'));
    expect(commands.discard).toHaveBeenCalledWith('environment', 'e-1');
    await waitFor(() => expect(screen.getByTestId('environment-name')).toHaveValue('Staging'));
    expect(screen.queryByTestId('draft-badge')).toBeNull();
  });

  it('deletes only once the exact name is typed', async () => {
    const { user, commands } = setup();
    await openStaging(user);
    await user.click(screen.getByTestId('delete-environment'));
    const confirm = screen.getByTestId('confirm-delete');
    expect(confirm).toBeDisabled();
    await user.type(screen.getByTestId('confirm-name'), 'Stagin');
    expect(confirm).toBeDisabled();
    await user.type(screen.getByTestId('confirm-name'), 'g');
    await user.click(confirm);
    expect(commands.deleteEnvironment).toHaveBeenCalledWith('e-1', 'Staging');
    await waitFor(() => expect(screen.queryByTestId('environment-detail')).toBeNull());
  });

  it('exports, creates and imports', async () => {
    const { user, commands } = setup();
    await openStaging(user);
    await user.click(screen.getByTestId('export'));
    expect(await screen.findByTestId('status')).toHaveTextContent('Exported to /home/u/Downloads/Staging.postman_environment.json');
    await user.click(screen.getByTestId('new-open'));
    await user.type(screen.getByTestId('new-name'), 'QA{Enter}');
    expect(commands.createEnvironment).toHaveBeenCalledWith(null, 'QA', null);
    await waitFor(() => expect(screen.getByTestId('environment-name')).toHaveValue('QA'));
    await user.click(screen.getByTestId('import-open'));
    await user.click(screen.getByTestId('import-text'));
    await user.paste('{"name": "Imported", "values": []}');
    await user.click(screen.getByTestId('create-submit'));
    expect(commands.createEnvironment).toHaveBeenLastCalledWith(null, null, '{"name": "Imported", "values": []}');
    await waitFor(() => expect(screen.getByTestId('environment-name')).toHaveValue('Imported'));
  });

  it('offers the environment drafts restored from disk', async () => {
    const drafts = vi.fn(async () => ({
      drafts: [{ kind: 'environment' as const, id: 'e-2', name: 'Production', savedAtMs: 1, baseUpdatedAt: null }],
      setAside: [],
    }));
    const { user } = setup({ drafts });
    const banner = await screen.findByTestId('restored-drafts');
    expect(banner).toHaveTextContent('1 unsaved draft restored');
    await user.click(within(banner).getByRole('button', { name: 'Open the draft of Production' }));
    await waitFor(() => expect(screen.getByTestId('environment-name')).toHaveValue('Production'));
  });

  it('says why the list could not be loaded', async () => {
    setup({
      environments: vi.fn(async () => {
        throw new AppError('api.unreachable', 'Postman could not be reached.');
      }),
    });
    expect(await screen.findByTestId('list-error')).toHaveTextContent('Postman could not be reached.');
  });

  it('shows names with markup as text', async () => {
    const fake = fakeCommands();
    const evil = '<img src=x onerror=alert(1)>';
    const env = fake.library.environments.get('e-1')!;
    env.server = { ...env.server, name: evil };
    env.server.values[0]!.key = '<script>alert(1)</script>';
    const user = userEvent.setup();
    render(EnvironmentsView, { props: { commands: fake.commands } });
    await user.click(await screen.findByRole('button', { name: evil }));
    expect(await screen.findByRole('heading', { name: evil })).toBeInTheDocument();
    expect(screen.getByLabelText('Key of variable 1')).toHaveValue('<script>alert(1)</script>');
    expect(document.querySelector('img')).toBeNull();
    expect(document.body.querySelector('script')).toBeNull();
  });
});
