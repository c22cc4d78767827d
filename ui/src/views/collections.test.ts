import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { EditorView } from '@codemirror/view';
import CollectionsView from './CollectionsView.svelte';
import { errorText } from '../collections/library';
import { collectionRows } from '../collections/rows';
import { resetRestored } from '../collections/restored';
import { fakeLayout } from '../collections/test-layout';
import type { CollectionEdit } from '../bindings/CollectionEdit';
import type { TreeNode } from '../bindings/TreeNode';
import type { FakeOptions } from '../testing/fake';
import { argsOf, errCoded, errOf, okOf, okWhere } from '../testing/recorded';
import { renderWith } from '../testing/render';
import { CONFLICT, DAMAGED_DRAFT, DUPLICATE, IMPORT, LARGE_TREE, MARKUP, PICKED, POSTMAN_DOWN, STALE, WORKSPACE, answered, refused, remembersWorkspace } from '../testing/scenarios';
import { fmtClock, fmtInt } from '../lib/format';

beforeAll(() => {
  fakeLayout();
  // jsdom lacks the layout and editing APIs CodeMirror measures with.
  const empty = () => Object.assign([], { item: () => null }) as unknown as DOMRectList;
  Range.prototype.getClientRects = empty;
  Range.prototype.getBoundingClientRect = () => new DOMRect();
  document.execCommand = () => false;
});
beforeEach(() => resetRestored());

function setup(options: FakeOptions = {}) {
  return renderWith(CollectionsView, { scenario: IMPORT, ...options });
}

/** The collection the recorder imported, as Rust first showed it. */
const opened = () => okOf('library_open_collection', IMPORT);

/** Opens the collection `uid` from the list (by the name `scenario`'s list gives it) and waits for its detail. */
async function openIt(user: ReturnType<typeof setup>['user'], uid = opened().uid, scenario?: string) {
  const row = collectionRows(okOf('library_collections', scenario)).rows.find((r) => r.uid === uid)!;
  await user.click(await screen.findByRole('option', { name: new RegExp(row.name) }));
  return screen.findByTestId('collection-detail');
}

const names = () => screen.getAllByRole('treeitem').map((t) => t.querySelector('.name')?.textContent);
const top = (tree: readonly TreeNode[]) => tree.map((n) => n.name);

/** The `n`th edit `scenario` recorded, which the test needs to be an `op` (the sent arguments, and the edit narrowed). */
function recordedEdit<Op extends CollectionEdit['op']>(scenario: string, op: Op, n = 0) {
  const sent = argsOf('library_edit_collection', scenario, n);
  if (sent.edit.op !== op) throw new Error(`edit ${n} of ${scenario} is recorded as ${sent.edit.op}, not ${op}`);
  return { sent, edit: sent.edit as Extract<CollectionEdit, { op: Op }> };
}

describe('Collections view', () => {
  it('lists the collections of the remembered workspace and opens one to show its tree', async () => {
    const { user, calls } = setup();
    const rows = collectionRows(okOf('library_collections', IMPORT)).rows;
    const view = opened();
    expect(screen.getByTestId('list-loading')).toBeInTheDocument();
    const detail = await openIt(user);
    expect(screen.getByTestId('collection-count')).toHaveTextContent(`${rows.length} of ${rows.length}`);
    expect(calls.of('library_collections')[0]).toEqual({ workspace: null, force: false });
    expect(calls.of('library_open_collection')).toEqual([{ uid: view.uid, force: false }]);
    expect(within(detail).getByRole('heading', { name: view.name })).toBeInTheDocument();
    expect(names()).toEqual(top(view.tree));
    expect(screen.getByTestId('request-count')).toHaveTextContent(`${view.requestCount} requests`);
    expect(screen.queryByTestId('draft-badge')).toBeNull();
    expect(screen.getByTestId('save')).toBeDisabled();
    expect(screen.getByRole('tab', { name: 'Tree' })).toHaveAttribute('aria-selected', 'true');
  });

  it('asks Rust to remember the chosen workspace, and follows what Rust kept', async () => {
    const { user, calls } = setup();
    // The workspace Rust was recorded remembering.
    const kept = okOf('prefs_set', WORKSPACE, 0).workspace;
    const ws = okOf('library_workspaces', IMPORT).rows.find((w) => w.id === kept);
    const switcher = screen.getByTestId('workspace-switcher');
    await screen.findByRole('option', { name: `${ws!.name} (${ws!.kind})` });
    await user.selectOptions(switcher, ws!.id);
    await waitFor(() => expect(calls.of('prefs_set')).toHaveLength(1));
    expect(calls.of('prefs_set')[0]).toEqual(argsOf('prefs_set', WORKSPACE, 0));
    // What Rust answered is the truth: the workspace it kept.
    await waitFor(() => expect(switcher).toHaveValue(kept));
    await user.click(screen.getByTestId('refresh'));
    expect(calls.of('library_collections').at(-1)).toEqual({ workspace: kept, force: true });
  });

  it('offers to mock the open collection: the Mocks view is asked for, on that collection', async () => {
    const { user, services } = setup();
    await openIt(user);
    await user.click(screen.getByTestId('mock-collection'));
    expect(services.navigation.requested).toEqual({ view: 'mocks', mockCollection: opened().uid });
  });

  it('starts in the workspace Rust remembers', async () => {
    const { calls } = setup({ overrides: { prefs_get: remembersWorkspace } });
    const remembered = okWhere('prefs_get', remembersWorkspace).workspace;
    await waitFor(() => expect(calls.of('library_collections')[0]).toEqual({ workspace: remembered, force: false }));
  });

  it('shows the detail Rust gives of the chosen request, and why it could not give one', async () => {
    const { user, calls } = setup();
    await openIt(user);
    const detail = okOf('library_collection_item', IMPORT);
    const folder = opened().tree.find((n) => n.children.some((c) => c.name === detail.name))!;
    await user.click(screen.getByRole('treeitem', { name: new RegExp(folder.name) }));
    await user.click(screen.getByRole('treeitem', { name: new RegExp(detail.name) }));
    const editor = await screen.findByTestId('request-editor');
    expect(calls.of('library_collection_item')).toEqual([{ uid: opened().uid, path: detail.path }]);
    expect(within(editor).getByTestId('request-method')).toHaveValue(detail.method);
    expect(within(editor).getByTestId('request-url')).toHaveValue(detail.url);
    expect(within(editor).getByLabelText(`Value of header ${detail.headers[0]!.key}`)).toHaveValue(detail.headers[0]!.value);
    expect(within(editor).getByTestId('request-body')).toHaveValue(detail.rawBody);
    // Another request, which Rust says is gone.
    const other = opened().tree.find((n) => n.method !== null)!;
    await user.click(screen.getByRole('treeitem', { name: new RegExp(other.name) }));
    expect(await screen.findByText(errOf('library_collection_item', IMPORT).message)).toHaveAttribute('role', 'alert');
  });

  it('fetches the items of a folder the view was sent without when it is opened', async () => {
    const { user, calls } = setup({ scenario: LARGE_TREE });
    const view = okOf('library_open_collection', LARGE_TREE);
    const asked = argsOf('library_collection_folder', LARGE_TREE);
    const items = okOf('library_collection_folder', LARGE_TREE);
    const folder = view.tree[Number(asked.path)]!;
    expect(folder.children).toEqual([]);
    expect(folder.childCount).toBe(items.length);
    await openIt(user, view.uid, LARGE_TREE);
    expect(names()).toEqual(top(view.tree));
    // The count is the collection's, not of the items sent.
    expect(screen.getByTestId('request-count')).toHaveTextContent(`${fmtInt(view.requestCount)} requests`);
    expect(calls.count('library_collection_folder')).toBe(0);
    await user.click(screen.getByRole('treeitem', { name: new RegExp(`^${folder.name}\\b`) }));
    await waitFor(() => expect(names()).toContain(items[0]!.name));
    expect(calls.of('library_collection_folder')).toEqual([asked]);
    const at = Number(asked.path);
    expect(names()).toEqual([...top(view.tree.slice(0, at + 1)), ...top(items), ...top(view.tree.slice(at + 1))]);
    // A request inside it opens by its path, as any other.
    const detail = okOf('library_collection_item', LARGE_TREE);
    await user.click(screen.getByRole('treeitem', { name: new RegExp(`${detail.name}\\b`) }));
    expect(await screen.findByTestId('request-editor')).toBeInTheDocument();
    expect(calls.of('library_collection_item')).toEqual([{ uid: view.uid, path: detail.path }]);
    expect(screen.getByTestId('request-url')).toHaveValue(detail.url);
  });

  it('says why a folder\'s items could not be fetched and leaves it closed', async () => {
    const { user, calls } = setup({ scenario: LARGE_TREE, overrides: { library_collection_folder: refused('library.invalidEdit') } });
    const view = okOf('library_open_collection', LARGE_TREE);
    const folder = view.tree[Number(argsOf('library_collection_folder', LARGE_TREE).path)]!;
    await openIt(user, view.uid, LARGE_TREE);
    const row = screen.getByRole('treeitem', { name: new RegExp(`^${folder.name}\\b`) });
    await user.click(row);
    expect(await screen.findByText(errCoded('library_collection_folder', 'library.invalidEdit').message)).toHaveAttribute('role', 'alert');
    expect(calls.count('library_collection_folder')).toBe(1);
    expect(screen.getByRole('treeitem', { name: new RegExp(`^${folder.name}\\b`) })).toHaveAttribute('aria-expanded', 'false');
    expect(names()).toEqual(top(view.tree));
  });

  it('renames the chosen request with a renameItem edit of its path, and shows the tree Rust answers', async () => {
    const { user, calls } = setup();
    await openIt(user);
    const { sent, edit } = recordedEdit(IMPORT, 'renameItem', 0);
    const after = okOf('library_edit_collection', IMPORT, 0);
    const [folder, index] = edit.path.split('/').map(Number) as [number, number];
    const target = opened().tree[folder]!.children[index]!;
    await user.click(screen.getByRole('treeitem', { name: new RegExp(opened().tree[folder]!.name) }));
    await user.click(screen.getByRole('treeitem', { name: new RegExp(target.name) }));
    await user.click(screen.getByTestId('rename-item'));
    const input = screen.getByTestId('item-name');
    expect(input).toHaveValue(target.name);
    expect(input).toHaveFocus();
    await user.clear(input);
    await user.type(input, `${edit.name}{Enter}`);
    expect(calls.of('library_edit_collection')).toEqual([sent]);
    const renamed = after.tree[folder]!.children[index]!.name;
    expect(await screen.findByRole('treeitem', { name: new RegExp(renamed) })).toHaveAttribute('aria-selected', 'true');
    expect(screen.queryByTestId('item-name')).toBeNull();
    // The form is gone: the focus is back on the button that opened it.
    await waitFor(() => expect(screen.getByTestId('rename-item')).toHaveFocus());
    expect(screen.getByTestId('draft-badge')).toHaveTextContent('Unsaved changes — kept locally');
    expect(screen.getByTestId('save')).toBeEnabled();
    // The list marks the collection as unsaved too.
    expect(within(screen.getByRole('option', { name: new RegExp(opened().name) })).getByTestId('unsaved-marker')).toBeInTheDocument();
  });

  it('shows why Rust refused an edit, and keeps the tree as it was', async () => {
    const { user } = setup({ overrides: { library_edit_collection: refused('library.invalidEdit') } });
    await openIt(user);
    const request = opened().tree.find((n) => n.method !== null)!;
    await user.click(screen.getByRole('treeitem', { name: new RegExp(request.name) }));
    await user.click(screen.getByTestId('delete-item'));
    await user.click(screen.getByTestId('confirm-delete-item'));
    expect(await screen.findByTestId('action-error')).toHaveTextContent(errOf('library_edit_collection', IMPORT).message);
    expect(names()).toEqual(top(opened().tree));
    expect(screen.queryByTestId('draft-badge')).toBeNull();
  });

  it('moves the active row with Alt+ArrowUp and keeps it selected where Rust put it', async () => {
    const { user, calls } = setup();
    await openIt(user);
    const { sent, edit } = recordedEdit(IMPORT, 'moveItem', 1);
    const after = okOf('library_edit_collection', IMPORT, 1);
    const moved = opened().tree[Number(edit.from)]!;
    await user.click(screen.getByRole('treeitem', { name: new RegExp(moved.name) }));
    await user.keyboard('{Alt>}{ArrowUp}{/Alt}');
    expect(calls.of('library_edit_collection')).toEqual([sent]);
    await waitFor(() => expect(names()).toEqual(top(after.tree)));
    expect(screen.getByRole('treeitem', { name: new RegExp(moved.name) })).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByTestId('move-up')).toBeDisabled();
  });

  it('moves a request into a folder by drag and drop', async () => {
    const { user, calls } = setup({ overrides: { library_edit_collection: (e) => e.args.edit.op === 'moveItem' && e.args.edit.toParent !== null } });
    await openIt(user);
    const { tree } = opened();
    const request = tree.find((n) => n.method !== null)!;
    const folder = tree.find((n) => n.method === null)!;
    await fireEvent.dragStart(screen.getByRole('treeitem', { name: new RegExp(request.name) }));
    await fireEvent.dragOver(screen.getByRole('treeitem', { name: new RegExp(folder.name) }));
    await fireEvent.drop(screen.getByRole('treeitem', { name: new RegExp(folder.name) }));
    expect(calls.of('library_edit_collection')[0]!.edit).toMatchObject({ op: 'moveItem', from: String(tree.indexOf(request)), toParent: String(tree.indexOf(folder)) });
  });

  it('adds a folder into the chosen folder', async () => {
    const { user, calls } = setup({ overrides: { library_edit_collection: (e) => e.args.edit.op === 'addFolder' } });
    await openIt(user);
    await user.click(screen.getByTestId('add-folder'));
    await user.type(screen.getByTestId('folder-name'), 'Drafts{Enter}');
    expect(calls.of('library_edit_collection')[0]!.edit).toMatchObject({ op: 'addFolder', name: 'Drafts' });
  });

  it('edits the name on the Info tab (Enter, then blur sends it once) and shows what it holds', async () => {
    const { user, calls } = setup({ scenario: CONFLICT });
    const view = okOf('library_open_collection', CONFLICT);
    const { sent, edit } = recordedEdit(CONFLICT, 'rename');
    await openIt(user, view.uid);
    await user.click(screen.getByRole('tab', { name: 'Info' }));
    expect(screen.getByTestId('collection-requests')).toHaveTextContent(String(view.requestCount));
    expect(screen.getByTestId('collection-folders')).toHaveTextContent(String(view.folderCount));
    expect(screen.getAllByTestId('variable-key').map((i) => (i as HTMLInputElement).value)).toEqual(view.variables.map((v) => v.key));
    const name = screen.getByTestId('collection-name');
    await user.clear(name);
    await user.type(name, `${edit.name}{Enter}`);
    expect(calls.of('library_edit_collection')).toEqual([sent]);
    expect(await screen.findByRole('heading', { name: okOf('library_edit_collection', CONFLICT).name })).toBeInTheDocument();
    await user.tab();
    expect(calls.of('library_edit_collection')).toHaveLength(1);
  });

  it('sends a description typed on the Info tab when the field is left', async () => {
    const { user, calls } = setup({ scenario: DUPLICATE });
    const { sent, edit } = recordedEdit(DUPLICATE, 'describe');
    await openIt(user, okOf('library_open_collection', DUPLICATE).uid);
    await user.click(screen.getByRole('tab', { name: 'Info' }));
    await user.type(screen.getByTestId('collection-description'), edit.description);
    await user.tab();
    expect(calls.of('library_edit_collection')).toEqual([sent]);
    expect(await screen.findByTestId('draft-badge')).toBeInTheDocument();
  });

  it('saves a rename typed on the Info tab when Save is clicked straight away', async () => {
    const { user, calls } = setup({ scenario: CONFLICT, overrides: { library_save: (e) => 'ok' in e && e.ok.outcome === 'saved' } });
    const view = okOf('library_open_collection', CONFLICT);
    const { sent, edit } = recordedEdit(CONFLICT, 'rename');
    await openIt(user, view.uid);
    await user.click(screen.getByRole('tab', { name: 'Info' }));
    const name = screen.getByTestId('collection-name');
    await user.clear(name);
    await user.type(name, edit.name);
    expect(screen.getByTestId('save')).toBeDisabled();
    await user.click(screen.getByTestId('save'));
    await waitFor(() => expect(calls.commands('library_').filter((c) => c === 'library_edit_collection' || c === 'library_save')).toEqual(['library_edit_collection', 'library_save']));
    expect(calls.of('library_edit_collection')).toEqual([sent]);
    expect(calls.of('library_save')).toEqual([{ kind: 'collection', id: view.uid, overwrite: false }]);
    await waitFor(() => expect(screen.getByTestId('status')).toHaveTextContent(`Saved "${okOf('library_edit_collection', CONFLICT).name}" (full update).`));
  });

  describe('raw JSON', () => {
    async function rawEditor(user: ReturnType<typeof setup>['user']) {
      await openIt(user);
      await user.click(screen.getByRole('tab', { name: 'Raw JSON' }));
      const host = await waitFor(() => {
        const el = document.querySelector('[aria-label="Collection JSON"]');
        expect(el?.shadowRoot).toBeTruthy();
        return el as HTMLElement;
      });
      await waitFor(() => expect(host.shadowRoot!.querySelector('.cm-editor')).toBeTruthy());
      return EditorView.findFromDOM(host.shadowRoot!.querySelector('.cm-editor') as HTMLElement)!;
    }

    it('lists the problems Rust found with their position, and changes nothing', async () => {
      const { user, calls } = setup();
      const view = await rawEditor(user);
      await waitFor(() => expect(view.state.doc.toString()).toBe(okOf('library_collection_text', IMPORT)));
      const bad = argsOf('library_set_collection_text', IMPORT, 0);
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: bad.text } });
      await user.click(await screen.findByTestId('apply-json'));
      expect(calls.of('library_set_collection_text')).toEqual([bad]);
      const [problem] = okOf('library_set_collection_text', IMPORT, 0).errors;
      expect(await screen.findByTestId('json-errors')).toHaveTextContent(errorText(problem!));
      // Listed once (here), not again by the editor.
      expect(screen.queryByRole('heading', { name: '1 problem' })).toBeNull();
      expect(calls.count('library_save')).toBe(0);
      expect(calls.count('library_edit_collection')).toBe(0);
      expect(screen.queryByTestId('draft-badge')).toBeNull();
    });

    it('applies valid JSON as the new working copy', async () => {
      const { user, calls } = setup();
      const view = await rawEditor(user);
      const good = argsOf('library_set_collection_text', IMPORT, 1);
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: good.text } });
      await user.click(screen.getByTestId('apply-json'));
      expect(await screen.findByRole('heading', { name: okOf('library_set_collection_text', IMPORT, 1).view!.name })).toBeInTheDocument();
      expect(screen.getByTestId('draft-badge')).toBeInTheDocument();
      expect(screen.queryByTestId('json-errors')).toBeNull();
      expect(calls.count('library_save')).toBe(0);
    });
  });

  it('saves with the progress Rust reports, then reads the collection again', async () => {
    const { user, calls, emit, hold } = setup();
    await openIt(user);
    const { edit: rename } = recordedEdit(IMPORT, 'renameItem', 0);
    // An edit first: Save needs a draft.
    const folder = opened().tree[0]!;
    await user.click(screen.getByRole('treeitem', { name: new RegExp(folder.name) }));
    await user.click(screen.getByRole('treeitem', { name: new RegExp(folder.children[0]!.name) }));
    await user.click(screen.getByTestId('rename-item'));
    await user.clear(screen.getByTestId('item-name'));
    await user.type(screen.getByTestId('item-name'), `${rename.name}{Enter}`);
    await screen.findByTestId('draft-badge');
    // Progress that arrives before the save is not this save's.
    emit('save-progress');
    const saving = hold('library_save');
    await user.click(screen.getByTestId('save'));
    expect(calls.of('library_save')).toEqual([{ kind: 'collection', id: opened().uid, overwrite: false }]);
    expect(screen.getByTestId('save')).toBeDisabled();
    expect(screen.getByTestId('save-progress')).toHaveTextContent('Saving…');
    emit('save-progress');
    await waitFor(() => expect(screen.getByTestId('save-progress')).toHaveTextContent('Checking the server version…'));
    expect(screen.getByRole('progressbar', { name: 'Save progress' })).toHaveAttribute('value', '1');
    const opens = calls.count('library_open_collection');
    saving.release();
    await waitFor(() => expect(screen.queryByTestId('save-progress')).toBeNull());
    const saved = okOf('library_save', IMPORT);
    if (saved.outcome !== 'saved') throw new Error('the recorded save succeeded');
    expect(screen.getByTestId('status')).toHaveTextContent(`Saved "${opened().name}" (full update).`);
    await waitFor(() => expect(calls.count('library_open_collection')).toBe(opens + 1));
  });

  it('says why a save failed and retries it', async () => {
    const { user, calls } = setup({ scenario: CONFLICT, overrides: { library_save: [refused(), answered] } });
    await openIt(user, okOf('library_open_collection', CONFLICT).uid);
    await user.click(screen.getByRole('tab', { name: 'Info' }));
    await user.type(screen.getByTestId('collection-name'), ' 2{Enter}');
    await user.click(await screen.findByTestId('save'));
    const alert = await screen.findByTestId('save-error');
    expect(alert).toHaveTextContent(errOf('library_save').message);
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(calls.count('library_save')).toBe(2);
    await waitFor(() => expect(screen.queryByTestId('save-error')).toBeNull());
  });

  async function conflicted(user: ReturnType<typeof setup>['user']) {
    const view = okOf('library_open_collection', CONFLICT);
    const { edit } = recordedEdit(CONFLICT, 'rename');
    await openIt(user, view.uid);
    await user.click(screen.getByRole('tab', { name: 'Info' }));
    await user.clear(screen.getByTestId('collection-name'));
    await user.type(screen.getByTestId('collection-name'), `${edit.name}{Enter}`);
    await screen.findByTestId('draft-badge');
    await user.click(screen.getByTestId('save'));
    return screen.findByTestId('conflict');
  }

  it('shows both versions of a conflict, and saves over theirs on "Keep mine"', async () => {
    const { user, calls } = setup({ scenario: CONFLICT });
    const conflict = await conflicted(user);
    const outcome = okOf('library_save', CONFLICT, 0);
    if (outcome.outcome !== 'conflict') throw new Error('the first recorded save is a conflict');
    expect(conflict).toHaveTextContent((outcome.theirs as { info: { name: string } }).info.name);
    expect(conflict).toHaveTextContent((outcome.mine as { info: { name: string } }).info.name);
    expect(screen.queryByRole('tablist')).toBeNull();
    await user.click(within(conflict).getByRole('button', { name: 'Keep mine (overwrite)' }));
    expect(calls.of('library_save').at(-1)).toEqual({ kind: 'collection', id: okOf('library_open_collection', CONFLICT).uid, overwrite: true });
    await waitFor(() => expect(screen.queryByTestId('conflict')).toBeNull());
    expect(screen.getByRole('tablist')).toBeInTheDocument();
    expect(screen.getByTestId('status')).toHaveTextContent('(partial update)');
  });

  it('takes theirs: drops the draft and reads the server past the cache', async () => {
    const { user, calls } = setup({ scenario: CONFLICT });
    const conflict = await conflicted(user);
    await user.click(within(conflict).getByRole('button', { name: /Take theirs/ }));
    const uid = okOf('library_open_collection', CONFLICT).uid;
    expect(calls.of('library_discard')).toEqual([{ kind: 'collection', id: uid }]);
    expect(calls.of('library_open_collection').at(-1)).toEqual({ uid, force: true });
    await waitFor(() => expect(screen.getByTestId('status')).toHaveTextContent('Took the version on the server'));
    expect(screen.queryByTestId('draft-badge')).toBeNull();
  });

  it('discards the unsaved changes after a confirmation', async () => {
    const { user, calls } = setup({ scenario: DUPLICATE });
    const view = okOf('library_open_collection', DUPLICATE);
    await openIt(user, view.uid);
    await user.click(screen.getByRole('tab', { name: 'Info' }));
    await user.type(screen.getByTestId('collection-description'), 'Not kept');
    await user.tab();
    await screen.findByTestId('draft-badge');
    await user.click(screen.getByTestId('discard'));
    expect(calls.count('library_discard')).toBe(0);
    await user.click(screen.getByTestId('confirm-discard'));
    expect(calls.of('library_discard')).toEqual([{ kind: 'collection', id: view.uid }]);
    await waitFor(() => expect(screen.queryByTestId('draft-badge')).toBeNull());
    expect(screen.getByTestId('status')).toHaveTextContent('Discarded the unsaved changes.');
  });

  it('deletes only once the exact name is typed, and shows Rust\'s refusal', async () => {
    const { user, calls } = setup({ scenario: DUPLICATE });
    const row = collectionRows(okOf('library_collections', IMPORT)).rows.find((r) => r.uid === opened().uid)!;
    await openIt(user, okOf('library_open_collection', DUPLICATE).uid);
    await user.click(screen.getByTestId('delete-collection'));
    const confirm = screen.getByTestId('confirm-delete');
    const input = screen.getByTestId('confirm-name');
    expect(input).toHaveFocus();
    expect(confirm).toBeDisabled();
    // The name on the server (the list's), exactly.
    await user.type(input, row.name.toLowerCase());
    expect(confirm).toBeDisabled();
    await user.clear(input);
    await user.type(input, `${row.name} `);
    expect(confirm).toBeDisabled();
    await user.type(input, '{Backspace}');
    expect(confirm).toBeEnabled();
    await user.click(confirm);
    expect(calls.of('library_delete_collection')[0]).toEqual({ uid: row.uid, confirmName: row.name });
    // Rust's first recorded answer refuses (the name had changed on the server): said, kept open.
    expect(await screen.findByRole('alert')).toHaveTextContent(errOf('library_delete_collection', DUPLICATE).message);
    await user.click(confirm);
    await waitFor(() => expect(screen.queryByTestId('collection-detail')).toBeNull());
    expect(screen.getByTestId('status')).toHaveTextContent(`Deleted "${row.name}".`);
  });

  it('duplicates and exports, saying where Rust wrote the file', async () => {
    const { user, calls } = setup({ scenario: DUPLICATE });
    const view = okOf('library_open_collection', DUPLICATE);
    await openIt(user, view.uid);
    await user.click(screen.getByTestId('export'));
    expect(await screen.findByTestId('status')).toHaveTextContent(`Exported to ${okOf('library_export_collection', DUPLICATE)}`);
    await user.click(screen.getByTestId('duplicate'));
    expect(calls.of('library_duplicate_collection')).toEqual([{ uid: view.uid, workspace: null }]);
    await waitFor(() => expect(screen.getByTestId('status')).toHaveTextContent(`Duplicated as "${okOf('library_duplicate_collection', DUPLICATE).name}".`));
    expect(calls.of('library_collections').at(-1)).toEqual({ workspace: null, force: true });
  });

  it('imports pasted JSON and opens what Rust made', async () => {
    const { user, calls } = setup();
    await screen.findByRole('option', { name: new RegExp(opened().name) });
    await user.click(screen.getByTestId('import-open'));
    await user.click(screen.getByTestId('create-submit'));
    expect(await screen.findByTestId('create-error')).toHaveTextContent('Choose a file or paste its JSON first.');
    expect(calls.count('library_create_collection')).toBe(0);
    await user.click(screen.getByTestId('import-text'));
    const text = argsOf('library_create_collection', IMPORT, 0).import!;
    await user.paste(text);
    await user.click(screen.getByTestId('create-submit'));
    expect(calls.of('library_create_collection')).toEqual([{ workspace: null, name: null, import: text }]);
    expect(calls.of('library_collections').at(-1)).toEqual({ workspace: null, force: true });
    const made = okOf('library_create_collection', IMPORT);
    await waitFor(() => expect(calls.of('library_open_collection')).toEqual([{ uid: made.uid, force: false }]));
    expect(await screen.findByRole('heading', { name: opened().name })).toBeInTheDocument();
  });

  it('imports a file picked in the OS dialog (Rust reads it) and opens what Rust made', async () => {
    const { user, calls } = setup({ overrides: { library_import_collection_file: PICKED } });
    await screen.findByRole('option', { name: new RegExp(opened().name) });
    await user.click(screen.getByTestId('import-open'));
    await user.click(screen.getByTestId('import-file'));
    expect(calls.of('library_import_collection_file')).toEqual([{ workspace: null }]);
    const made = okOf('library_import_collection_file', PICKED)!;
    await waitFor(() => expect(calls.of('library_open_collection')).toEqual([{ uid: made.uid, force: false }]));
    expect(await screen.findByTestId('status')).toHaveTextContent(`Created "${made.name}".`);
    expect(calls.count('library_create_collection')).toBe(0);
  });

  it('shows why Rust refused a picked file; a cancelled dialog says nothing and keeps the panel', async () => {
    const { user } = setup({ overrides: { library_import_collection_file: refused('library.invalidImport') } });
    await screen.findByRole('option', { name: new RegExp(opened().name) });
    await user.click(screen.getByTestId('import-open'));
    await user.click(screen.getByTestId('import-file'));
    expect(await screen.findByTestId('create-error')).toHaveTextContent(errOf('library_import_collection_file', PICKED).message);
    cleanup();
    const again = setup({ overrides: { library_import_collection_file: (e) => 'ok' in e && e.ok === null } });
    await screen.findByRole('option', { name: new RegExp(opened().name) });
    await again.user.click(screen.getByTestId('import-open'));
    await again.user.click(screen.getByTestId('import-file'));
    await waitFor(() => expect(again.calls.count('library_import_collection_file')).toBe(1));
    expect(screen.queryByTestId('create-error')).not.toBeInTheDocument();
    expect(screen.getByRole('form', { name: 'Import a collection' })).toBeInTheDocument();
    expect(again.calls.count('library_open_collection')).toBe(0);
  });

  it('offers the drafts restored from disk', async () => {
    const { user, calls } = setup({ overrides: { library_drafts: (e) => 'ok' in e && e.ok.drafts.length > 0 } });
    const [draft] = okOf('library_drafts', IMPORT, 1).drafts;
    const banner = await screen.findByTestId('restored-drafts');
    expect(banner).toHaveTextContent('1 unsaved draft restored');
    await user.click(within(banner).getByRole('button', { name: `Open the draft of ${draft!.name}` }));
    expect(calls.of('library_open_collection')).toEqual([{ uid: draft!.id, force: false }]);
    expect(await screen.findByRole('heading', { name: draft!.name })).toBeInTheDocument();
  });

  it('says why the list could not be loaded', async () => {
    setup({ overrides: { library_collections: POSTMAN_DOWN } });
    expect(await screen.findByTestId('list-error')).toHaveTextContent(errOf('library_collections', POSTMAN_DOWN).message);
  });

  it('says which damaged drafts were set aside', async () => {
    setup({ overrides: { library_drafts: DAMAGED_DRAFT } });
    const [aside] = okOf('library_drafts', DAMAGED_DRAFT).setAside;
    expect(await screen.findByRole('alert')).toHaveTextContent(aside!);
  });

  it('shows names with markup as text, in the list and the tree', async () => {
    const { user } = setup({ scenario: MARKUP });
    const view = okOf('library_open_collection', MARKUP);
    const has = (text: string) => (name: string) => name.includes(text);
    await user.click(await screen.findByRole('option', { name: has(view.name) }));
    const detail = await screen.findByTestId('collection-detail');
    expect(within(detail).getByRole('heading', { name: view.name })).toBeInTheDocument();
    const hostile = view.tree.find((n) => /[<>]/.test(n.name))!;
    expect(screen.getByRole('treeitem', { name: has(hostile.name) })).toBeInTheDocument();
    expect(document.body.querySelector('img, script')).toBeNull();
  });

  it('says why a collection could not be opened', async () => {
    const { user } = setup({ overrides: { library_open_collection: refused('api.notFound') } });
    await user.click(await screen.findByRole('option', { name: new RegExp(opened().name) }));
    expect(await screen.findByTestId('open-error')).toHaveTextContent(errOf('library_open_collection', DUPLICATE).message);
  });

  it('says when a refresh failed, why, and how old the list and the open collection shown are', async () => {
    const { user, calls } = setup({ scenario: STALE });
    const [fresh, stale] = [okOf('library_collections', STALE, 0), okOf('library_collections', STALE, 1)];
    expect(stale.source.failure).not.toBeNull();
    expect(stale.source.fetchedAt).toBe(fresh.source.fetchedAt);
    const line = await screen.findByTestId('list-freshness');
    expect(line).toHaveAttribute('data-state', 'fresh');
    expect(line).toHaveTextContent(`Fetched at ${fmtClock(fresh.source.fetchedAt, Date.now())}`);

    await user.click(screen.getByTestId('refresh'));
    await waitFor(() => expect(screen.getByTestId('list-freshness')).toHaveAttribute('data-state', 'stale'));
    const said = screen.getByTestId('list-freshness');
    expect(said).toHaveAttribute('role', 'alert');
    expect(said).toHaveTextContent(`Could not refresh: ${stale.source.failure} — showing the copy from ${fmtClock(fresh.source.fetchedAt, Date.now())}`);
    // The rows stay, counted as the copy they are.
    expect(screen.getByTestId('collection-count')).toHaveTextContent(`${stale.uid.length} of ${stale.uid.length}`);
    const asked = calls.count('library_collections');
    await user.click(within(said).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(calls.count('library_collections')).toBe(asked + 1));
    expect(calls.of('library_collections').at(-1)).toEqual({ workspace: null, force: true });
  });

  it('shows where the open collection comes from; Refresh reloads it and says when that failed', async () => {
    const [view, kept] = [okOf('library_open_collection', STALE, 0), okOf('library_open_collection', STALE, 1)];
    expect(kept.source!.failure).not.toBeNull();
    const { user, calls } = setup({ scenario: STALE });
    const row = collectionRows(okOf('library_collections', STALE)).rows.find((r) => r.uid === view.uid)!;
    const named = await screen.findAllByRole('option', { name: new RegExp(`^${row.name}`) });
    await user.click(named[0]!);
    const line = await screen.findByTestId('document-freshness');
    expect(line).toHaveAttribute('data-state', 'fresh');
    expect(line).toHaveTextContent(`Fetched at ${fmtClock(view.source!.fetchedAt, Date.now())}`);

    await user.click(screen.getByTestId('refresh'));
    await waitFor(() => expect(screen.getByTestId('document-freshness')).toHaveAttribute('data-state', 'stale'));
    expect(calls.of('library_open_collection').at(-1)).toEqual({ uid: view.uid, force: true });
    expect(screen.getByTestId('document-freshness')).toHaveTextContent(
      `Could not refresh: ${kept.source!.failure} — showing the copy from ${fmtClock(view.source!.fetchedAt, Date.now())}`,
    );
    expect(screen.getByTestId('collection-detail')).toHaveAccessibleName(`Collection ${kept.name}`);
  });
});
