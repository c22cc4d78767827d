import { describe, expect, it, vi } from 'vitest';
import { render, screen, within as inside } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import ConflictView from './ConflictView.svelte';
import { diffJson, jsonLines, within, type Json } from './diff';

const mine: Json = { info: { name: 'Billing', 'schema id': 1 }, item: [{ name: 'a' }, { name: 'b' }], tags: ['x'] };
const theirs: Json = { info: { name: 'Billing v2', 'schema id': 1 }, item: [{ name: 'a' }], tags: ['x'], extra: null };

describe('diffJson', () => {
  it('lists the smallest differing paths, with kind and values', () => {
    expect(diffJson(mine, theirs)).toEqual([
      { path: '$.extra', kind: 'added', theirs: null },
      { path: '$.info.name', kind: 'changed', mine: 'Billing', theirs: 'Billing v2' },
      { path: '$.item[1]', kind: 'removed', mine: { name: 'b' } },
    ]);
  });
  it('finds nothing between equal values whatever the key order, and handles type changes and special keys', () => {
    expect(diffJson({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toEqual([]);
    expect(diffJson({ a: [1] }, { a: { 0: 1 } })).toEqual([{ path: '$.a', kind: 'changed', mine: [1], theirs: { 0: 1 } }]);
    expect(diffJson(1, '1')).toEqual([{ path: '$', kind: 'changed', mine: 1, theirs: '1' }]);
    expect(diffJson({ 'a key': 1 }, { 'a key': 2 })[0]!.path).toBe('$["a key"]');
  });
  it('tells ancestors from siblings with similar names', () => {
    expect(within('$.item[1].name', '$.item[1]')).toBe(true);
    expect(within('$.item[10]', '$.item[1]')).toBe(false);
    expect(within('$.items', '$.item')).toBe(false);
  });
  it('prints lines like JSON.stringify with the path of each', () => {
    const lines = jsonLines(mine);
    expect(lines.map((l) => '  '.repeat(l.depth) + l.text).join('\n')).toBe(JSON.stringify(mine, null, 2));
    expect(lines.find((l) => l.text.startsWith('"name": "Billing"'))!.path).toBe('$.info.name');
    expect(jsonLines([])).toEqual([{ path: '$', depth: 0, text: '[]' }]);
  });
});

describe('ConflictView', () => {
  it('shows both versions with the differing lines marked, and acts only on a click', async () => {
    const onkeepmine = vi.fn();
    const ontaketheirs = vi.fn();
    const user = userEvent.setup();
    render(ConflictView, { props: { mine, theirs, onkeepmine, ontaketheirs } });
    expect(screen.getByRole('status')).toHaveTextContent('3 differences');
    const table = screen.getByRole('table', { name: 'Differences' });
    expect(inside(table).getByText('$.info.name')).toBeInTheDocument();
    const mineSide = screen.getByRole('figure', { name: 'Mine (local draft)' });
    const theirSide = screen.getByRole('figure', { name: 'Theirs (on the server)' });
    const marked = (el: HTMLElement) => [...el.querySelectorAll('li.diff')].map((li) => li.getAttribute('data-path'));
    expect(marked(mineSide)).toEqual(['$.info.name', '$.item[1]', '$.item[1].name', '$.item[1]']);
    expect(marked(theirSide)).toEqual(['$.info.name', '$.extra']);
    expect(inside(theirSide).getByText(/"Billing v2"/)).toBeInTheDocument();
    expect(onkeepmine).not.toHaveBeenCalled();
    expect(ontaketheirs).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Take theirs (discard my edit)' }));
    expect(ontaketheirs).toHaveBeenCalledTimes(1);
    expect(onkeepmine).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Keep mine (overwrite)' }));
    expect(onkeepmine).toHaveBeenCalledTimes(1);
  });

  it('shows markup in values as text', () => {
    render(ConflictView, { props: { mine: { n: '<img src=x onerror=alert(1)>' }, theirs: { n: '<script>x</script>' }, onkeepmine: vi.fn(), ontaketheirs: vi.fn() } });
    expect(document.querySelector('img')).toBeNull();
    expect(document.body.querySelector('script')).toBeNull();
    expect(screen.getAllByText(/<img src=x onerror=alert\(1\)>/).length).toBeGreaterThan(0);
  });
});
