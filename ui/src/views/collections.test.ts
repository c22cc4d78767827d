import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { EditorView } from '@codemirror/view';
import CollectionsView from './CollectionsView.svelte';
import { AppError } from '../platform/ipc';
import { resetRestored } from '../collections/restored';
import { billingDoc, fakeCommands } from '../test-fakes';
import { fakeLayout } from '../collections/test-layout';
import type { SaveOutcome } from '../bindings/SaveOutcome';
import type { SaveProgressEvent } from '../bindings/SaveProgressEvent';

beforeAll(() => {
  fakeLayout();
  // jsdom lacks the layout and editing APIs CodeMirror measures with.
  const empty = () => Object.assign([], { item: () => null }) as unknown as DOMRectList;
  Range.prototype.getClientRects = empty;
  Range.prototype.getBoundingClientRect = () => new DOMRect();
  document.execCommand = () => false;
});
beforeEach(() => {
  localStorage.clear();
  resetRestored();
});

function setup(over: Parameters<typeof fakeCommands>[0] = {}) {
  const user = userEvent.setup();
  const fake = fakeCommands(over);
  render(CollectionsView, { props: { commands: fake.commands } });
  return { user, ...fake };
}

/** Opens "Billing API" and waits for its detail. */
async function openBilling(user: ReturnType<typeof userEvent.setup>) {
  await user.click(await screen.findByRole('option', { name: /Billing API/ }));
  return screen.findByTestId('collection-detail');
}

const names = () => screen.getAllByRole('treeitem').map((t) => t.querySelector('.name')?.textContent);

describe('Collections view', () => {
  it('lists the collections of all workspaces and opens one to show its tree', async () => {
    const { user, commands } = setup();
    expect(screen.getByTestId('list-loading')).toBeInTheDocument();
    const detail = await openBilling(user);
    expect(commands.collections).toHaveBeenCalledWith(null, false);
    expect(commands.openCollection).toHaveBeenCalledWith('c-1', false);
    expect(within(detail).getByRole('heading', { name: 'Billing API' })).toBeInTheDocument();
    expect(names()).toEqual(['Invoices', 'Health', 'Archive']);
    expect(screen.getByTestId('request-count')).toHaveTextContent('3 requests');
    expect(screen.queryByTestId('draft-badge')).toBeNull();
    expect(screen.getByTestId('save')).toBeDisabled();
    expect(screen.getByRole('tab', { name: 'Tree' })).toHaveAttribute('aria-selected', 'true');
  });

  it('scopes the list to the chosen workspace and remembers it', async () => {
    const { user, commands } = setup();
    const switcher = screen.getByTestId('workspace-switcher');
    await screen.findByRole('option', { name: 'Team Space (team)' });
    await user.selectOptions(switcher, 'ws-2');
    expect(commands.collections).toHaveBeenLastCalledWith('ws-2', false);
    await waitFor(() => expect(screen.queryByRole('option', { name: /Billing API/ })).toBeNull());
    expect(screen.getByRole('option', { name: /Accounts/ })).toBeInTheDocument();
    expect(localStorage.getItem('postdesk.workspace')).toBe('ws-2');
    await user.click(screen.getByTestId('refresh'));
    expect(commands.collections).toHaveBeenLastCalledWith('ws-2', true);
  });

  it('starts in the remembered workspace', async () => {
    localStorage.setItem('postdesk.workspace', 'ws-1');
    const { commands } = setup();
    expect(commands.collections).toHaveBeenCalledWith('ws-1', false);
    await waitFor(() => expect(screen.getByTestId('workspace-switcher')).toHaveValue('ws-1'));
  });

  it('renames the chosen request with a renameItem edit of its path', async () => {
    const { user, commands } = setup();
    await openBilling(user);
    await user.click(screen.getByRole('treeitem', { name: /Invoices/ }));
    await user.click(screen.getByRole('treeitem', { name: /Create invoice/ }));
    await user.click(screen.getByTestId('rename-item'));
    const input = screen.getByTestId('item-name');
    expect(input).toHaveValue('Create invoice');
    expect(input).toHaveFocus();
    await user.clear(input);
    await user.type(input, 'New invoice{Enter}');
    expect(commands.editCollection).toHaveBeenCalledWith('c-1', { op: 'renameItem', path: '0/1', name: 'New invoice' });
    expect(await screen.findByRole('treeitem', { name: /New invoice/ })).toHaveAttribute('aria-selected', 'true');
    expect(screen.queryByTestId('item-name')).toBeNull();
    expect(screen.getByTestId('draft-badge')).toHaveTextContent('Unsaved changes — kept locally');
    expect(screen.getByTestId('save')).toBeEnabled();
    // The list marks the collection as unsaved too.
    expect(within(screen.getByRole('option', { name: /Billing API/ })).getByTestId('unsaved-marker')).toBeInTheDocument();
  });

  it('shows why an edit was refused', async () => {
    const { user } = setup();
    await openBilling(user);
    await user.click(screen.getByRole('treeitem', { name: /Health/ }));
    await user.click(screen.getByTestId('rename-item'));
    await user.clear(screen.getByTestId('item-name'));
    await user.click(screen.getByTestId('apply-rename'));
    expect(await screen.findByTestId('action-error')).toHaveTextContent('A request needs a name.');
    expect(screen.getByTestId('item-name')).toBeInTheDocument();
  });

  it('moves the active row with Alt+ArrowDown and keeps it selected', async () => {
    const { user, commands } = setup();
    await openBilling(user);
    await user.click(screen.getByRole('treeitem', { name: /Health/ }));
    await user.keyboard('{Alt>}{ArrowDown}{/Alt}');
    expect(commands.editCollection).toHaveBeenCalledWith('c-1', { op: 'moveItem', from: '1', toParent: null, index: 2 });
    await waitFor(() => expect(names()).toEqual(['Invoices', 'Archive', 'Health']));
    expect(screen.getByRole('treeitem', { name: /Health/ })).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByTestId('move-down')).toBeDisabled();
    await user.click(screen.getByTestId('move-up'));
    expect(commands.editCollection).toHaveBeenLastCalledWith('c-1', { op: 'moveItem', from: '2', toParent: null, index: 1 });
    await waitFor(() => expect(names()).toEqual(['Invoices', 'Health', 'Archive']));
  });

  it('moves a request into a folder by drag and drop, keeping it selected and visible', async () => {
    const { user, commands } = setup();
    await openBilling(user);
    const health = screen.getByRole('treeitem', { name: /Health/ });
    const archive = screen.getByRole('treeitem', { name: /Archive/ });
    await fireEvent.dragStart(health);
    await fireEvent.dragOver(archive);
    await fireEvent.drop(archive);
    expect(commands.editCollection).toHaveBeenCalledWith('c-1', { op: 'moveItem', from: '1', toParent: '2', index: 0 });
    await waitFor(() => expect(names()).toEqual(['Invoices', 'Archive', 'Health']));
    expect(screen.getByRole('treeitem', { name: /Archive/ })).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByRole('treeitem', { name: /Health/ })).toHaveAttribute('aria-level', '2');
    expect(screen.getByRole('treeitem', { name: /Health/ })).toHaveAttribute('aria-selected', 'true');
    await user.click(screen.getByTestId('delete-item'));
    await user.click(screen.getByTestId('confirm-delete-item'));
    expect(commands.editCollection).toHaveBeenLastCalledWith('c-1', { op: 'deleteItem', path: '1/0' });
    await waitFor(() => expect(names()).toEqual(['Invoices', 'Archive']));
  });

  it('adds a folder into the chosen folder and a request next to the chosen request', async () => {
    const { user, commands } = setup();
    await openBilling(user);
    await user.click(screen.getByRole('treeitem', { name: /Invoices/ }));
    await user.click(screen.getByTestId('add-folder'));
    await user.type(screen.getByTestId('folder-name'), 'Drafts{Enter}');
    expect(commands.editCollection).toHaveBeenCalledWith('c-1', { op: 'addFolder', parent: '0', name: 'Drafts' });
    expect(await screen.findByRole('treeitem', { name: /Drafts/ })).toHaveAttribute('aria-selected', 'true');
    await user.click(screen.getByRole('treeitem', { name: /Health/ }));
    await user.click(screen.getByTestId('add-request'));
    await user.selectOptions(screen.getByTestId('new-request-method'), 'DELETE');
    await user.type(screen.getByTestId('new-request-url'), '{{{{base}}/cache');
    await user.type(screen.getByTestId('new-request-name'), 'Clear cache{Enter}');
    expect(commands.editCollection).toHaveBeenLastCalledWith('c-1', { op: 'addRequest', parent: null, name: 'Clear cache', method: 'DELETE', url: '{{base}}/cache' });
    expect(await screen.findByRole('treeitem', { name: /Clear cache/ })).toHaveAttribute('aria-selected', 'true');
  });

  it('edits a request: method, URL, headers and raw body in one setRequest', async () => {
    const { user, commands } = setup();
    await openBilling(user);
    await user.click(screen.getByRole('treeitem', { name: /Health/ }));
    const editor = await screen.findByTestId('request-editor');
    expect(commands.collectionItem).toHaveBeenCalledWith('c-1', '1');
    expect(within(editor).getByTestId('request-url')).toHaveValue('{{base}}/health');
    await user.selectOptions(within(editor).getByTestId('request-method'), 'POST');
    await user.click(within(editor).getByRole('button', { name: 'Add header' }));
    await user.type(within(editor).getByLabelText('Key of header 1'), 'Accept');
    await user.type(within(editor).getByLabelText('Value of header Accept'), 'application/json');
    await user.type(within(editor).getByTestId('request-body'), 'ping');
    await user.click(within(editor).getByTestId('apply-request'));
    expect(commands.editCollection).toHaveBeenCalledWith('c-1', {
      op: 'setRequest',
      path: '1',
      method: 'POST',
      url: '{{base}}/health',
      headers: [{ key: 'Accept', value: 'application/json', disabled: false }],
      rawBody: 'ping',
    });
    await waitFor(() => expect(screen.getByRole('treeitem', { name: /Health/ })).toHaveTextContent('POST'));
  });

  it('edits the name, description and variables on the Info tab', async () => {
    const { user, commands } = setup();
    await openBilling(user);
    await user.click(screen.getByRole('tab', { name: 'Info' }));
    expect(screen.getByTestId('collection-auth')).toHaveTextContent('Bearer token');
    expect(screen.getByTestId('collection-requests')).toHaveTextContent('3');
    expect(screen.getByTestId('collection-folders')).toHaveTextContent('2');
    const name = screen.getByTestId('collection-name');
    await user.clear(name);
    await user.type(name, 'Billing v2{Enter}');
    expect(commands.editCollection).toHaveBeenCalledWith('c-1', { op: 'rename', name: 'Billing v2' });
    expect(await screen.findByRole('heading', { name: 'Billing v2' })).toBeInTheDocument();
    await user.click(screen.getByTestId('add-variable'));
    const keys = screen.getAllByTestId('variable-key');
    await user.type(keys[1]!, 'token');
    await user.type(screen.getAllByTestId('variable-value')[1]!, 'abc');
    await user.click(screen.getByTestId('collection-description'));
    expect(commands.editCollection).toHaveBeenLastCalledWith('c-1', {
      op: 'setVariables',
      variables: [
        { key: 'base', value: 'https://api.example.test', disabled: false },
        { key: 'token', value: 'abc', disabled: false },
      ],
    });
    await user.type(screen.getByTestId('collection-description'), ' More.');
    await user.tab();
    expect(commands.editCollection).toHaveBeenLastCalledWith('c-1', { op: 'describe', description: 'Invoices and payments. More.' });
    // Enter then blur sent the rename once.
    expect(vi.mocked(commands.editCollection).mock.calls.filter(([, e]) => e.op === 'rename')).toHaveLength(1);
  });

  it('saves a rename typed on the Info tab when Save is clicked straight away', async () => {
    const { user, commands } = setup();
    await openBilling(user);
    await user.click(screen.getByRole('tab', { name: 'Info' }));
    await user.type(screen.getByTestId('collection-name'), ' 2');
    expect(screen.getByTestId('save')).toBeDisabled();
    await user.click(screen.getByTestId('save'));
    await waitFor(() => expect(commands.save).toHaveBeenCalledWith('collection', 'c-1', false));
    expect(commands.editCollection).toHaveBeenCalledWith('c-1', { op: 'rename', name: 'Billing API 2' });
    expect(vi.mocked(commands.editCollection).mock.invocationCallOrder[0]!).toBeLessThan(vi.mocked(commands.save).mock.invocationCallOrder[0]!);
    await waitFor(() => expect(screen.getByTestId('status')).toHaveTextContent('Saved "Billing API 2" (partial update).'));
  });

  it('lists raw JSON errors with their position, marks them in the editor and saves nothing', async () => {
    const setCollectionText = vi.fn(async () => ({
      errors: [{ path: 'item[0].name', line: 3, column: 7, message: 'expected a string' }],
      view: null,
    }));
    const { user, commands } = setup({ setCollectionText });
    await openBilling(user);
    await user.click(screen.getByRole('tab', { name: 'Raw JSON' }));
    const host = await waitFor(() => {
      const el = document.querySelector('.editor .editor') ?? document.querySelector('[aria-label="Collection JSON"]');
      expect(el?.shadowRoot).toBeTruthy();
      return el as HTMLElement;
    });
    expect(commands.collectionText).toHaveBeenCalledWith('c-1');
    const view = EditorView.findFromDOM(host.shadowRoot!.querySelector('.cm-editor') as HTMLElement)!;
    expect(view.state.doc.toString()).toContain('"Billing API"');
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: '{"info": {"name": 1}' } });
    await user.click(await screen.findByTestId('apply-json'));
    expect(setCollectionText).toHaveBeenCalledWith('c-1', '{"info": {"name": 1}');
    expect(await screen.findByTestId('json-errors')).toHaveTextContent('line 3, column 7 — item[0].name: expected a string');
    // Listed once (here), not again by the editor; marked in the text.
    expect(screen.queryByRole('heading', { name: '1 problem' })).toBeNull();
    expect(commands.save).not.toHaveBeenCalled();
    expect(commands.editCollection).not.toHaveBeenCalled();
    expect(screen.queryByTestId('draft-badge')).toBeNull();
  });

  it('applies valid raw JSON as the new working copy', async () => {
    const { user, commands } = setup();
    await openBilling(user);
    await user.click(screen.getByRole('tab', { name: 'Raw JSON' }));
    const host = await waitFor(() => {
      const el = document.querySelector('[aria-label="Collection JSON"]');
      expect(el?.shadowRoot).toBeTruthy();
      return el as HTMLElement;
    });
    const view = EditorView.findFromDOM(host.shadowRoot!.querySelector('.cm-editor') as HTMLElement)!;
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: JSON.stringify({ ...billingDoc('Raw name'), item: [] }) } });
    await user.click(screen.getByTestId('apply-json'));
    expect(await screen.findByRole('heading', { name: 'Raw name' })).toBeInTheDocument();
    expect(screen.getByTestId('draft-badge')).toBeInTheDocument();
    expect(screen.queryByTestId('json-errors')).toBeNull();
    expect(commands.save).not.toHaveBeenCalled();
  });

  it('saves with progress, then reopens the collection', async () => {
    let finish: (o: SaveOutcome) => void = () => {};
    const fake = fakeCommands();
    const save = vi.fn(
      () =>
        new Promise<SaveOutcome>((resolve) => {
          finish = resolve;
        }),
    );
    const commands = { ...fake.commands, save };
    const user = userEvent.setup();
    render(CollectionsView, { props: { commands } });
    await openBilling(user);
    await user.click(screen.getByRole('treeitem', { name: /Health/ }));
    await user.keyboard('{Alt>}{ArrowUp}{/Alt}');
    await screen.findByTestId('draft-badge');
    await user.click(screen.getByTestId('save'));
    expect(save).toHaveBeenCalledWith('collection', 'c-1', false);
    expect(screen.getByTestId('save')).toBeDisabled();
    const progress: SaveProgressEvent = { kind: 'collection', id: 'c-1', progress: { stage: 'sending', method: 'put', bytes: 2048 } };
    fake.library.emitSaveProgress(progress);
    await waitFor(() => expect(screen.getByTestId('save-progress')).toHaveTextContent('Sending 2.0 KB (full update)…'));
    expect(screen.getByRole('progressbar', { name: 'Save progress' })).toHaveAttribute('value', '2');
    // Events of another document do not move this bar.
    fake.library.emitSaveProgress({ kind: 'collection', id: 'c-2', progress: { stage: 'confirming' } });
    fake.library.collections.get('c-1')!.savedAtMs = null;
    const opens = vi.mocked(fake.commands.openCollection).mock.calls.length;
    finish({ outcome: 'saved', method: 'put', updatedAt: '2026-11-23T10:00:00.000Z' });
    await waitFor(() => expect(screen.queryByTestId('save-progress')).toBeNull());
    expect(vi.mocked(fake.commands.openCollection).mock.calls.length).toBe(opens + 1);
    expect(screen.getByTestId('status')).toHaveTextContent('Saved "Billing API" (full update).');
    await waitFor(() => expect(screen.queryByTestId('draft-badge')).toBeNull());
  });

  it('saves without progress events when the platform has none', async () => {
    const { onSaveProgress: _none, ...commands } = fakeCommands().commands;
    const user = userEvent.setup();
    render(CollectionsView, { props: { commands } });
    await openBilling(user);
    await user.click(screen.getByRole('treeitem', { name: /Health/ }));
    await user.keyboard('{Alt>}{ArrowUp}{/Alt}');
    await user.click(await screen.findByTestId('save'));
    await waitFor(() => expect(screen.getByTestId('status')).toHaveTextContent('Saved "Billing API" (partial update).'));
    expect(commands.save).toHaveBeenCalledWith('collection', 'c-1', false);
  });

  it('says why a save failed and retries it', async () => {
    const save = vi
      .fn<(...a: unknown[]) => Promise<SaveOutcome>>()
      .mockRejectedValueOnce(new AppError('api.unreachable', 'Postman could not be reached.'))
      .mockResolvedValueOnce({ outcome: 'saved', method: 'patch', updatedAt: null });
    const { user } = setup({ save });
    await openBilling(user);
    await user.click(screen.getByRole('treeitem', { name: /Health/ }));
    await user.keyboard('{Alt>}{ArrowUp}{/Alt}');
    await user.click(await screen.findByTestId('save'));
    const alert = await screen.findByTestId('save-error');
    expect(alert).toHaveAttribute('role', 'alert');
    expect(alert).toHaveTextContent('Postman could not be reached.');
    expect(screen.getByTestId('draft-badge')).toBeInTheDocument();
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(save).toHaveBeenCalledTimes(2);
    await waitFor(() => expect(screen.queryByTestId('save-error')).toBeNull());
  });

  it('shows the conflict and saves over theirs on "Keep mine"', async () => {
    const save = vi
      .fn<(...a: unknown[]) => Promise<SaveOutcome>>()
      .mockResolvedValueOnce({ outcome: 'conflict', mine: { info: { name: 'Billing API' } }, theirs: { info: { name: 'Billing (edited online)' } } })
      .mockResolvedValueOnce({ outcome: 'saved', method: 'put', updatedAt: null });
    const { user } = setup({ save });
    await openBilling(user);
    await user.click(screen.getByRole('treeitem', { name: /Health/ }));
    await user.keyboard('{Alt>}{ArrowUp}{/Alt}');
    await user.click(await screen.findByTestId('save'));
    const conflict = await screen.findByTestId('conflict');
    expect(conflict).toHaveTextContent('Billing (edited online)');
    expect(screen.queryByRole('tablist')).toBeNull();
    await user.click(within(conflict).getByRole('button', { name: 'Keep mine (overwrite)' }));
    expect(save).toHaveBeenLastCalledWith('collection', 'c-1', true);
    await waitFor(() => expect(screen.queryByTestId('conflict')).toBeNull());
    expect(screen.getByRole('tablist')).toBeInTheDocument();
  });

  it('takes theirs: discards the draft and reads the server again', async () => {
    const save = vi.fn(async (): Promise<SaveOutcome> => ({ outcome: 'conflict', mine: { a: 1 }, theirs: { a: 2 } }));
    const { user, commands } = setup({ save });
    await openBilling(user);
    await user.click(screen.getByRole('treeitem', { name: /Health/ }));
    await user.keyboard('{Alt>}{ArrowUp}{/Alt}');
    await user.click(await screen.findByTestId('save'));
    await user.click(within(await screen.findByTestId('conflict')).getByRole('button', { name: /Take theirs/ }));
    expect(commands.discard).toHaveBeenCalledWith('collection', 'c-1');
    expect(commands.openCollection).toHaveBeenLastCalledWith('c-1', true);
    await waitFor(() => expect(names()).toEqual(['Invoices', 'Health', 'Archive']));
    expect(screen.queryByTestId('draft-badge')).toBeNull();
  });

  it('discards the unsaved changes after a confirmation', async () => {
    const { user, commands } = setup();
    await openBilling(user);
    await user.click(screen.getByRole('treeitem', { name: /Health/ }));
    await user.keyboard('{Alt>}{ArrowUp}{/Alt}');
    await user.click(await screen.findByTestId('discard'));
    expect(commands.discard).not.toHaveBeenCalled();
    await user.click(screen.getByTestId('confirm-discard'));
    expect(commands.discard).toHaveBeenCalledWith('collection', 'c-1');
    await waitFor(() => expect(names()).toEqual(['Invoices', 'Health', 'Archive']));
    expect(screen.queryByTestId('draft-badge')).toBeNull();
  });

  it('deletes only once the exact name is typed', async () => {
    const { user, commands } = setup();
    await openBilling(user);
    await user.click(screen.getByTestId('delete-collection'));
    const confirm = screen.getByTestId('confirm-delete');
    const input = screen.getByTestId('confirm-name');
    expect(input).toHaveFocus();
    expect(confirm).toBeDisabled();
    await user.type(input, 'billing api');
    expect(confirm).toBeDisabled();
    await user.clear(input);
    await user.type(input, 'Billing API ');
    expect(confirm).toBeDisabled();
    await user.type(input, '{Backspace}');
    expect(confirm).toBeEnabled();
    await user.click(confirm);
    expect(commands.deleteCollection).toHaveBeenCalledWith('c-1', 'Billing API');
    await waitFor(() => expect(screen.queryByTestId('collection-detail')).toBeNull());
    expect(screen.getByTestId('status')).toHaveTextContent('Deleted "Billing API".');
    expect(screen.queryByRole('option', { name: /Billing API/ })).toBeNull();
  });

  it('duplicates and exports, saying where the file went', async () => {
    const { user, commands } = setup();
    await openBilling(user);
    await user.click(screen.getByTestId('export'));
    expect(await screen.findByTestId('status')).toHaveTextContent('Exported to /home/u/Downloads/Billing API.postman_collection.json');
    await user.click(screen.getByTestId('duplicate'));
    expect(commands.duplicateCollection).toHaveBeenCalledWith('c-1', null);
    await waitFor(() => expect(screen.getByTestId('status')).toHaveTextContent('Duplicated as "Billing API (copy)".'));
    expect(await screen.findByRole('option', { name: /Billing API \(copy\)/ })).toBeInTheDocument();
  });

  it('creates an empty collection and opens it', async () => {
    const { user, commands } = setup();
    await screen.findByRole('option', { name: /Billing API/ });
    await user.click(screen.getByTestId('new-open'));
    await user.type(screen.getByTestId('new-name'), 'Payments');
    await user.click(screen.getByTestId('create-submit'));
    expect(commands.createCollection).toHaveBeenCalledWith(null, 'Payments', null);
    expect(commands.collections).toHaveBeenLastCalledWith(null, true);
    expect(await screen.findByRole('heading', { name: 'Payments' })).toBeInTheDocument();
  });

  it('imports pasted JSON, and refuses a file over 30 MB before sending it', async () => {
    const { user, commands } = setup();
    await screen.findByRole('option', { name: /Billing API/ });
    await user.click(screen.getByTestId('import-open'));
    const big = new File(['{}'], 'huge.json', { type: 'application/json' });
    Object.defineProperty(big, 'size', { value: 31 * 1024 * 1024 });
    await user.upload(screen.getByTestId('import-file'), big);
    expect(await screen.findByTestId('create-error')).toHaveTextContent('Postman accepts at most 30.0 MB. Nothing was sent.');
    expect(commands.createCollection).not.toHaveBeenCalled();
    await user.click(screen.getByTestId('import-text'));
    await user.paste(JSON.stringify(billingDoc('Imported')));
    await user.click(screen.getByTestId('create-submit'));
    expect(commands.createCollection).toHaveBeenCalledWith(null, null, JSON.stringify(billingDoc('Imported')));
    expect(await screen.findByRole('heading', { name: 'Imported' })).toBeInTheDocument();
  });

  it('imports a chosen file', async () => {
    const { user, commands } = setup();
    await screen.findByRole('option', { name: /Billing API/ });
    await user.click(screen.getByTestId('import-open'));
    const text = JSON.stringify(billingDoc('From file'));
    await user.upload(screen.getByTestId('import-file'), new File([text], 'c.json', { type: 'application/json' }));
    await screen.findByText(/c\.json, .* ready to import/);
    await user.click(screen.getByTestId('create-submit'));
    expect(commands.createCollection).toHaveBeenCalledWith(null, null, text);
  });

  it('offers the drafts restored from disk', async () => {
    const drafts = vi.fn(async () => ({
      drafts: [
        { kind: 'collection' as const, id: 'c-2', name: 'Accounts', savedAtMs: 1, baseUpdatedAt: null },
        { kind: 'environment' as const, id: 'e-1', name: 'Staging', savedAtMs: 2, baseUpdatedAt: null },
      ],
      setAside: ['A damaged draft was moved aside to drafts/damaged/x.json.'],
    }));
    const { user, commands } = setup({ drafts });
    const banner = await screen.findByTestId('restored-drafts');
    expect(banner).toHaveTextContent('1 unsaved draft restored');
    expect(screen.getByRole('alert')).toHaveTextContent('moved aside');
    await user.click(within(banner).getByRole('button', { name: 'Open the draft of Accounts' }));
    expect(commands.openCollection).toHaveBeenCalledWith('c-2', false);
    expect(await screen.findByRole('heading', { name: 'Accounts' })).toBeInTheDocument();
  });

  it('says why the list could not be loaded', async () => {
    setup({
      collections: vi.fn(async () => {
        throw new AppError('api.invalidKey', 'Postman refused the API key.');
      }),
    });
    expect(await screen.findByTestId('list-error')).toHaveTextContent('Postman refused the API key.');
  });

  it('says why a collection could not be opened', async () => {
    const { user } = setup({
      openCollection: vi.fn(async () => {
        throw new AppError('api.notFound', 'That collection no longer exists.');
      }),
    });
    await user.click(await screen.findByRole('option', { name: /Billing API/ }));
    expect(await screen.findByTestId('open-error')).toHaveTextContent('That collection no longer exists.');
  });

  it('shows names with markup as text', async () => {
    const fake = fakeCommands();
    const evil = '<img src=x onerror=alert(1)>';
    const doc = fake.library.collections.get('c-1')!;
    doc.server = billingDoc(evil);
    doc.server.item[1]!.name = '<script>alert(1)</script>';
    const user = userEvent.setup();
    render(CollectionsView, { props: { commands: fake.commands } });
    await user.click(await screen.findByRole('option', { name: /onerror/ }));
    expect(await screen.findByRole('heading', { name: evil })).toBeInTheDocument();
    expect(screen.getByRole('treeitem', { name: /<script>/ })).toBeInTheDocument();
    await user.click(screen.getByTestId('delete-collection'));
    expect(screen.getByRole('dialog')).toHaveTextContent(`Delete collection "${evil}"?`);
    expect(document.querySelector('img')).toBeNull();
    expect(document.body.querySelector('script')).toBeNull();
  });
});
