import { beforeAll, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import CollectionTree from './CollectionTree.svelte';
import { allFolderKeys, countRequests, flattenVisible, itemsFromTreeNodes, urlText, type PmItem } from './tree';
import { fakeLayout } from './test-layout';

const items: PmItem[] = [
  {
    name: 'Users',
    item: [
      { name: 'List users', request: { method: 'get', url: 'https://api.example.test/users' } },
      { name: 'Admin', item: [{ name: 'Ban user', request: { method: 'POST', url: { raw: '{{base}}/ban' } } }] },
    ],
  },
  { name: 'Health', request: { url: '{{base}}/health' } },
  { name: 'Empty folder', item: [] },
];

describe('tree helpers', () => {
  it('flattens only the rows of expanded folders, with depth, parent and position', () => {
    expect(flattenVisible(items, new Set()).map((r) => r.key)).toEqual(['0', '1', '2']);
    const open = flattenVisible(items, new Set(['0', '0/1']));
    expect(open.map((r) => [r.key, r.depth, r.kind, r.method, r.url])).toEqual([
      ['0', 0, 'folder', '', ''],
      ['0/0', 1, 'request', 'GET', 'https://api.example.test/users'],
      ['0/1', 1, 'folder', '', ''],
      ['0/1/0', 2, 'request', 'POST', '{{base}}/ban'],
      ['1', 0, 'request', 'GET', '{{base}}/health'],
      ['2', 0, 'folder', '', ''],
    ]);
    expect(open[3]).toMatchObject({ parentKey: '0/1', pos: 1, siblings: 1 });
    expect(open[4]).toMatchObject({ parentKey: null, pos: 2, siblings: 3 });
    // A closed parent hides an expanded child folder.
    expect(flattenVisible(items, new Set(['0/1'])).map((r) => r.key)).toEqual(['0', '1', '2']);
  });

  it('counts requests, lists folder keys and reads both URL forms', () => {
    expect(countRequests(items)).toBe(3);
    expect([...allFolderKeys(items)].sort()).toEqual(['0', '0/1', '2']);
    expect(urlText({ url: { raw: 'x' } })).toBe('x');
    expect(urlText({ url: 'y' })).toBe('y');
    expect(urlText(undefined)).toBe('');
  });

  it('reads the drafts module\'s TreeNode outline', () => {
    const converted = itemsFromTreeNodes([
      { id: null, name: 'Users', method: null, url: null, childCount: 1, children: [{ id: 'r1', name: 'List', method: 'GET', url: '/users', childCount: 0, children: [] }] },
      { id: 'r2', name: 'Ping', method: 'HEAD', url: null, childCount: 0, children: [] },
    ]);
    expect(converted).toEqual([
      { name: 'Users', item: [{ id: 'r1', name: 'List', request: { method: 'GET', url: '/users' } }], childCount: 1 },
      { id: 'r2', name: 'Ping', request: { method: 'HEAD', url: '' } },
    ]);
    expect(countRequests(converted)).toBe(2);
  });

  it('flattens a very deep tree without overflowing the stack', () => {
    let deep: PmItem = { name: 'leaf', request: { method: 'GET', url: '/' } };
    for (let i = 0; i < 5_000; i++) deep = { name: `f${i}`, item: [deep] };
    expect(countRequests([deep])).toBe(1);
    expect(flattenVisible([deep], allFolderKeys([deep]))).toHaveLength(5_001);
  });
});

describe('CollectionTree', () => {
  beforeAll(fakeLayout);

  it('expands and collapses folders with the keyboard and reports the chosen request', async () => {
    const onselect = vi.fn();
    const user = userEvent.setup();
    render(CollectionTree, { props: { items, onselect } });
    expect(screen.getByTestId('request-count')).toHaveTextContent('3 requests');
    const tree = screen.getByRole('tree', { name: 'Collection contents' });
    expect(screen.getAllByRole('treeitem')).toHaveLength(3);
    tree.focus();
    await user.keyboard('{ArrowRight}');
    expect(screen.getByRole('treeitem', { name: /Users/ })).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getAllByRole('treeitem')).toHaveLength(5);
    await user.keyboard('{ArrowRight}{Enter}');
    expect(onselect).toHaveBeenLastCalledWith(expect.objectContaining({ name: 'List users', method: 'GET' }));
    expect(screen.getByRole('treeitem', { name: /List users/ })).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{ArrowDown}{ArrowRight}{ArrowRight}');
    const ban = screen.getByRole('treeitem', { name: /Ban user/ });
    expect(ban).toHaveAttribute('aria-level', '3');
    expect(ban).toHaveTextContent('{{base}}/ban');
    expect(tree.getAttribute('aria-activedescendant')).toBe(ban.id);
    await user.keyboard('{ArrowLeft}'); // to the parent folder
    expect(tree.getAttribute('aria-activedescendant')).toBe(screen.getByRole('treeitem', { name: /Admin/ }).id);
    await user.keyboard('{ArrowLeft}'); // collapse it
    expect(screen.queryByRole('treeitem', { name: /Ban user/ })).toBeNull();
    await user.keyboard('{End}');
    expect(tree.getAttribute('aria-activedescendant')).toBe(screen.getByRole('treeitem', { name: /Empty folder/ }).id);
    await user.keyboard('{Home}{ArrowLeft}');
    expect(screen.getAllByRole('treeitem')).toHaveLength(3);
  });

  it('toggles a folder and selects a request by clicking', async () => {
    const onselect = vi.fn();
    const user = userEvent.setup();
    render(CollectionTree, { props: { items, onselect } });
    await user.click(screen.getByRole('treeitem', { name: /Users/ }));
    await user.click(screen.getByRole('treeitem', { name: /List users/ }));
    expect(onselect).toHaveBeenLastCalledWith(expect.objectContaining({ key: '0/0' }));
  });

  it('keeps folders open across edits of a document and starts closed for another one', async () => {
    const user = userEvent.setup();
    const onselect = vi.fn();
    const { rerender } = render(CollectionTree, { props: { items, onselect, documentId: 'c1' } });
    await user.click(screen.getByRole('treeitem', { name: /Users/ }));
    expect(screen.getAllByRole('treeitem')).toHaveLength(5);
    const edited = [{ ...items[0]!, name: 'People' }, ...items.slice(1)];
    await rerender({ items: edited, onselect, documentId: 'c1' });
    expect(screen.getAllByRole('treeitem')).toHaveLength(5);
    expect(screen.getByRole('treeitem', { name: /People/ })).toHaveAttribute('aria-selected', 'true');
    await rerender({ items: [...items], onselect, documentId: 'c2' });
    expect(screen.getAllByRole('treeitem')).toHaveLength(3);
    expect(screen.queryByRole('treeitem', { selected: true })).toBeNull();
  });

  it('shows names with markup as text', () => {
    render(CollectionTree, { props: { items: [{ name: '<img src=x onerror=alert(1)>', request: { url: '<script>x</script>' } }], onselect: vi.fn() } });
    expect(screen.getByText('<img src=x onerror=alert(1)>')).toBeInTheDocument();
    expect(document.querySelector('img')).toBeNull();
    expect(document.body.querySelector('script')).toBeNull();
  });

  it('virtualises a folder of 10,000 requests', async () => {
    const big: PmItem[] = [{ name: 'Big', item: Array.from({ length: 10_000 }, (_, i) => ({ name: `Req ${i}`, request: { method: 'GET', url: `/r/${i}` } })) }];
    const user = userEvent.setup();
    render(CollectionTree, { props: { items: big, onselect: vi.fn() } });
    expect(screen.getByTestId('request-count')).toHaveTextContent('10,000 requests');
    screen.getByRole('tree').focus();
    const t0 = performance.now();
    await user.keyboard('{ArrowRight}');
    console.info(`CollectionTree: expanding a folder of 10,000 requests took ${(performance.now() - t0).toFixed(1)} ms (jsdom)`);
    const rendered = screen.getAllByRole('treeitem').length;
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
    await user.keyboard('{End}');
    expect(screen.getByRole('tree').getAttribute('aria-activedescendant')).toMatch(/-0\/9999$/);
  });

  it('asks to move the active row with Alt+ArrowUp / Alt+ArrowDown, only among its siblings', async () => {
    const onmove = vi.fn();
    const onselect = vi.fn();
    const user = userEvent.setup();
    render(CollectionTree, { props: { items, onselect, onmove } });
    const tree = screen.getByRole('tree');
    expect(tree).toHaveAttribute('aria-keyshortcuts', 'Alt+ArrowUp Alt+ArrowDown');
    tree.focus();
    await user.keyboard('{ArrowDown}{Alt>}{ArrowDown}{/Alt}');
    expect(onmove).toHaveBeenLastCalledWith({ from: '1', toParent: null, index: 2 });
    // The moved row becomes the chosen one.
    expect(onselect).toHaveBeenLastCalledWith(expect.objectContaining({ key: '1' }));
    await user.keyboard('{Home}{Alt>}{ArrowUp}{/Alt}');
    expect(onmove).toHaveBeenCalledTimes(1); // the first row cannot go up
    await user.keyboard('{ArrowRight}{ArrowDown}{Alt>}{ArrowDown}{/Alt}');
    expect(onmove).toHaveBeenLastCalledWith({ from: '0/0', toParent: '0', index: 1 });
  });

  it('ignores Alt+arrows and is not draggable without onmove', async () => {
    const user = userEvent.setup();
    render(CollectionTree, { props: { items, onselect: vi.fn() } });
    screen.getByRole('tree').focus();
    await user.keyboard('{Alt>}{ArrowDown}{/Alt}');
    expect(screen.getByRole('tree').getAttribute('aria-activedescendant')).toMatch(/-0$/);
    expect(screen.getByRole('treeitem', { name: /Health/ })).not.toHaveAttribute('draggable');
  });

  it('drops into a folder at its end and before a request, never a folder into itself', async () => {
    const onmove = vi.fn();
    render(CollectionTree, { props: { items, onselect: vi.fn(), onmove } });
    const users = screen.getByRole('treeitem', { name: /Users/ });
    const health = screen.getByRole('treeitem', { name: /Health/ });
    const empty = screen.getByRole('treeitem', { name: /Empty folder/ });
    expect(health).toHaveAttribute('draggable', 'true');
    await fireEvent.dragStart(empty);
    await fireEvent.dragOver(users);
    expect(users).toHaveClass('drop-into');
    await fireEvent.drop(users);
    expect(onmove).toHaveBeenLastCalledWith({ from: '2', toParent: '0', index: 2 });
    expect(users).not.toHaveClass('drop-into');
    await fireEvent.dragStart(empty);
    await fireEvent.dragOver(health);
    expect(health).toHaveClass('drop-before');
    await fireEvent.drop(health);
    expect(onmove).toHaveBeenLastCalledWith({ from: '2', toParent: null, index: 1 });
    await fireEvent.dragStart(users);
    await fireEvent.dragOver(users);
    expect(users).not.toHaveClass('drop-into');
    await fireEvent.drop(users);
    await fireEvent.dragEnd(users);
    expect(onmove).toHaveBeenCalledTimes(2);
  });

  it('follows the selection it is given, opening its folders, and re-keys open folders on request', async () => {
    const onselect = vi.fn();
    const { rerender, component } = render(CollectionTree, { props: { items, onselect, documentId: 'c1', selectedKey: null } });
    await rerender({ items, onselect, documentId: 'c1', selectedKey: '0/1/0' });
    const ban = screen.getByRole('treeitem', { name: /Ban user/ });
    expect(ban).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByRole('tree').getAttribute('aria-activedescendant')).toBe(ban.id);
    // "Users" moves below "Health": the open folders follow it.
    const moved = [items[1]!, items[0]!, items[2]!];
    component.remapKeys((k) => (k.startsWith('0') ? `1${k.slice(1)}` : k));
    await rerender({ items: moved, onselect, documentId: 'c1', selectedKey: '1/1/0' });
    expect(screen.getByRole('treeitem', { name: /Users/ })).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByRole('treeitem', { name: /Ban user/ })).toHaveAttribute('aria-selected', 'true');
    await rerender({ items: moved, onselect, documentId: 'c1', selectedKey: null });
    expect(screen.queryByRole('treeitem', { selected: true })).toBeNull();
  });
});
