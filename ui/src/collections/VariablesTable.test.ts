import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import VariablesTable from './VariablesTable.svelte';
import { DESCRIPTION_MAX, moveBy, removeAt, updateAt, type EnvVariable } from './variables';

const v = (key: string, value: string, type: EnvVariable['type'] = 'default'): EnvVariable => ({ key, value, type, enabled: true, description: '' });
const base = Object.freeze([v('baseUrl', 'https://api.example.test'), v('token', 's3cr3t-value', 'secret')]) as readonly EnvVariable[];

describe('variable helpers', () => {
  it('return new arrays and leave the input alone', () => {
    const moved = moveBy(base, 0, 1);
    expect(moved.map((x) => x.key)).toEqual(['token', 'baseUrl']);
    expect(moveBy(base, 0, -1)).toEqual(base);
    expect(moveBy(base, 0, -1)).not.toBe(base);
    expect(removeAt(base, 0).map((x) => x.key)).toEqual(['token']);
    const edited = updateAt(base, 1, 'description', 'x'.repeat(600));
    expect(edited[1]!.description).toHaveLength(DESCRIPTION_MAX);
    expect(edited[0]).toBe(base[0]);
    expect(base[1]!.description).toBe('');
  });
});

/** Render controlled: every change is fed back as the new `values`, like the parent will do. */
function controlled(initial: readonly EnvVariable[]) {
  const onchange = vi.fn();
  const r = render(VariablesTable, { props: { values: initial, onchange } });
  onchange.mockImplementation((next: EnvVariable[]) => r.rerender({ values: next, onchange }));
  return { onchange };
}

describe('VariablesTable', () => {
  it('masks secret values and reveals one row on request', async () => {
    const user = userEvent.setup();
    controlled(base);
    const secret = screen.getByLabelText('Value of variable token');
    expect(secret).toHaveAttribute('type', 'password');
    expect(screen.getByLabelText('Value of variable baseUrl')).toHaveAttribute('type', 'text');
    expect(screen.queryByRole('button', { name: 'Reveal value of variable baseUrl' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Reveal value of variable token' }));
    expect(screen.getByLabelText('Value of variable token')).toHaveAttribute('type', 'text');
    await user.click(screen.getByRole('button', { name: 'Hide value of variable token' }));
    expect(screen.getByLabelText('Value of variable token')).toHaveAttribute('type', 'password');
  });

  it('edits, adds, moves and removes rows, emitting new arrays', async () => {
    const user = userEvent.setup();
    const { onchange } = controlled(base);
    await user.type(screen.getByLabelText('Value of variable baseUrl'), '/v2');
    const last = () => onchange.mock.lastCall![0] as EnvVariable[];
    expect(last()[0]!.value).toBe('https://api.example.test/v2');
    expect(base[0]!.value).toBe('https://api.example.test');
    await user.click(screen.getByRole('checkbox', { name: 'Enable variable token' }));
    expect(last()[1]!.enabled).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Add variable' }));
    expect(last()).toHaveLength(3);
    await user.type(screen.getByLabelText('Key of variable 3'), 'region');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Type of variable region' }), 'secret');
    expect(last()[2]).toMatchObject({ key: 'region', type: 'secret', enabled: true });
    // Reveal follows the row when it moves.
    await user.click(screen.getByRole('button', { name: 'Reveal value of variable region' }));
    await user.click(screen.getByRole('button', { name: 'Move variable region up' }));
    expect(last().map((x) => x.key)).toEqual(['baseUrl', 'region', 'token']);
    expect(screen.getByLabelText('Value of variable region')).toHaveAttribute('type', 'text');
    expect(screen.getByLabelText('Value of variable token')).toHaveAttribute('type', 'password');
    expect(screen.getByRole('button', { name: 'Move variable baseUrl up' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Remove variable baseUrl' }));
    expect(last().map((x) => x.key)).toEqual(['region', 'token']);
    expect(screen.getAllByRole('row')).toHaveLength(3);
  });

  it('limits descriptions to 512 characters with a visible counter', async () => {
    const user = userEvent.setup();
    const { onchange } = controlled([v('a', '1')]);
    const desc = screen.getByLabelText('Description of variable a');
    expect(desc).toHaveAttribute('maxlength', '512');
    expect(desc).toHaveAccessibleDescription('0 / 512');
    await user.type(desc, 'Base URL');
    expect(screen.getByText('8 / 512')).toBeInTheDocument();
    await user.clear(desc);
    await user.click(desc);
    await user.paste('y'.repeat(700));
    expect((onchange.mock.lastCall![0] as EnvVariable[])[0]!.description).toHaveLength(512);
    expect(screen.getByText('512 / 512')).toBeInTheDocument();
  });
});
