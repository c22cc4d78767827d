import { beforeAll, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { EditorView } from '@codemirror/view';
import { forEachDiagnostic } from '@codemirror/lint';
import JsonEditor from './JsonEditor.svelte';
import { errorSpans, lineStarts, offsetOf, tokenEnd, type JsonError } from './json-positions';

const text = '{\n  "name": "Billing",\n  "item": [\n    { "url": 42 }\n  ]\n}';

describe('json positions', () => {
  it('maps 1-based line and column to offsets, clamping out-of-range positions', () => {
    expect(lineStarts('a\nbc\n')).toEqual([0, 2, 5]);
    expect(offsetOf(text, 1, 1)).toBe(0);
    expect(text.slice(offsetOf(text, 2, 3))).toMatch(/^"name"/);
    expect(text.slice(offsetOf(text, 4, 14))).toMatch(/^42 }/);
    expect(offsetOf(text, 2, 999)).toBe(text.indexOf('\n', 2)); // end of line 2
    expect(offsetOf(text, 99, 1)).toBe(text.length);
    expect(offsetOf(text, 0, 5)).toBe(0);
    expect(offsetOf(text, 2, 0)).toBe(2);
    expect(offsetOf('a\r\nbcd', 1, 9)).toBe(1); // stops before the \r
    // Columns count characters (as Rust does), offsets count UTF-16 units (as the editor does).
    expect(offsetOf('{"a": "😀😀", "b": x}', 1, 13)).toBe('{"a": "😀😀", "b": x}'.indexOf('"b"'));
  });

  it('underlines the token at the position', () => {
    const at = offsetOf(text, 2, 11);
    expect(text.slice(at, tokenEnd(text, at))).toBe('"Billing"');
    const n = offsetOf(text, 4, 14);
    expect(text.slice(n, tokenEnd(text, n))).toBe('42');
    expect(tokenEnd('', 0)).toBe(0);
    expect(errorSpans(text, [{ line: 4, column: 14, message: 'expected a string', path: '$.item[0].url' }])).toEqual([
      { from: n, to: n + 2, message: 'expected a string (at $.item[0].url)' },
    ]);
  });
});

const viewOf = (container: HTMLElement) => {
  const host = container.querySelector('.editor') as HTMLElement;
  const dom = host.shadowRoot!.querySelector('.cm-editor') as HTMLElement;
  return EditorView.findFromDOM(dom)!;
};

describe('JsonEditor', () => {
  // jsdom lacks the layout and editing APIs CodeMirror measures with; give it empty ones.
  beforeAll(() => {
    const empty = () => Object.assign([], { item: () => null }) as unknown as DOMRectList;
    Range.prototype.getClientRects = empty;
    Range.prototype.getBoundingClientRect = () => new DOMRect();
    document.execCommand = () => false;
  });

  const errors: JsonError[] = [
    { line: 4, column: 14, message: 'url must be a string', path: '$.item[0].url' },
    { line: 2, column: 3, message: 'name is too short', path: '' },
  ];

  it('lists the errors, shows them as diagnostics and moves the cursor to one on click', async () => {
    const { container } = render(JsonEditor, { props: { value: text, errors, onchange: vi.fn() } });
    const view = viewOf(container);
    expect(view.state.doc.toString()).toBe(text);
    expect(screen.getByRole('heading', { name: '2 problems' })).toBeInTheDocument();
    const list = screen.getByRole('list', { name: '2 problems' });
    expect(list).toHaveTextContent(/Line 4, column 14\s*url must be a string\s*\$\.item\[0\]\.url/);
    const found: { from: number; to: number; message: string }[] = [];
    await waitFor(() => {
      found.length = 0;
      forEachDiagnostic(view.state, (d, from, to) => found.push({ from, to, message: d.message }));
      expect(found).toHaveLength(2);
    });
    expect(found.map((d) => text.slice(d.from, d.to))).toEqual(['"name"', '42']);
    await userEvent.setup().click(screen.getByRole('button', { name: /Line 4, column 14/ }));
    expect(view.state.selection.main.head).toBe(offsetOf(text, 4, 14));
    await userEvent.setup().click(screen.getByRole('button', { name: /name is too short/ }));
    expect(view.state.selection.main.head).toBe(offsetOf(text, 2, 3));
  });

  it('reports edits and takes a new value from outside', async () => {
    const onchange = vi.fn();
    const { container, rerender } = render(JsonEditor, { props: { value: '{}', onchange, label: 'Environment JSON' } });
    const view = viewOf(container);
    expect(screen.queryByRole('list')).toBeNull();
    expect(screen.getByRole('group', { name: 'Environment JSON' })).toBeInTheDocument();
    expect(view.contentDOM).toHaveAttribute('aria-label', 'Environment JSON');
    await rerender({ value: '{}', onchange, label: 'Environment JSON', readonly: true });
    expect(view.state.readOnly).toBe(true);
    expect(view.contentDOM).toHaveAttribute('contenteditable', 'false');
    await rerender({ value: '{}', onchange, label: 'Environment JSON', readonly: false });
    expect(view.state.readOnly).toBe(false);
    view.dispatch({ changes: { from: 1, insert: '"a": 1' } });
    expect(onchange).toHaveBeenLastCalledWith('{"a": 1}');
    const calls = onchange.mock.calls.length;
    await rerender({ value: '[1, 2]', onchange });
    expect(view.state.doc.toString()).toBe('[1, 2]');
    expect(onchange.mock.calls.length).toBe(calls + 1); // the replacement is an edit of the text
  });

  it('shows markup in error messages as text', () => {
    render(JsonEditor, { props: { value: '{}', errors: [{ line: 1, column: 1, message: '<img src=x onerror=alert(1)>', path: '<b>' }], onchange: vi.fn() } });
    expect(screen.getByText('<img src=x onerror=alert(1)>')).toBeInTheDocument();
    expect(document.querySelector('img')).toBeNull();
  });
});
