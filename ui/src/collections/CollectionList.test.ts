import { beforeAll, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import CollectionList from './CollectionList.svelte';
import { filterAndSort, sortCollections } from './list';
import type { CollectionRow } from './rows';
import { fakeLayout } from './test-layout';

const c = (uid: string, name: string, updatedAt: string, owner = 'Taylor Lee'): CollectionRow => ({ uid, name, updatedAt, owner, hasDraft: false });
const three = [
  c('u1', 'Billing API', '2026-01-02T00:00:00Z'),
  c('u2', 'accounts', '2026-03-01T00:00:00Z'),
  c('u3', 'Zebra', '2026-02-01T00:00:00Z'),
];

describe('filterAndSort', () => {
  it('filters by a case-insensitive substring of the name and sorts by name or most recent update', () => {
    expect(filterAndSort(three, '', 'name').map((x) => x.uid)).toEqual(['u2', 'u1', 'u3']);
    expect(filterAndSort(three, '', 'updated').map((x) => x.uid)).toEqual(['u2', 'u3', 'u1']);
    expect(filterAndSort(three, 'BIL', 'name').map((x) => x.uid)).toEqual(['u1']);
    expect(filterAndSort(three, '  a ', 'name').map((x) => x.uid)).toEqual(['u2', 'u1', 'u3']);
    expect(three.map((x) => x.uid)).toEqual(['u1', 'u2', 'u3']); // input untouched
  });

  it('keeps a list that is already in name order (as Rust sends it), as a copy, and sorts one that is not', () => {
    const ordered = [c('u2', 'accounts', ''), c('u1', 'Billing API', ''), c('u4', 'Item 2', ''), c('u5', 'Item 10', '')];
    const kept = sortCollections(ordered, 'name');
    expect(kept).not.toBe(ordered);
    expect(kept.map((x) => x.uid)).toEqual(['u2', 'u1', 'u4', 'u5']);
    // One row out of place (a name Rust judged otherwise): the whole list is sorted.
    const off = [ordered[0]!, ordered[3]!, ordered[1]!, ordered[2]!];
    expect(sortCollections(off, 'name').map((x) => x.uid)).toEqual(['u2', 'u1', 'u4', 'u5']);
  });
});

describe('CollectionList', () => {
  beforeAll(fakeLayout);

  it('searches, sorts, moves with the arrow keys and opens with Enter', async () => {
    const onopen = vi.fn();
    const user = userEvent.setup();
    render(CollectionList, { props: { collections: three, onopen } });
    const list = screen.getByRole('listbox', { name: 'Collections' });
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual([
      expect.stringContaining('accounts'),
      expect.stringContaining('Billing API'),
      expect.stringContaining('Zebra'),
    ]);
    expect(screen.getByRole('option', { selected: true })).toHaveTextContent('accounts');
    list.focus();
    await user.keyboard('{ArrowDown}{ArrowDown}{ArrowDown}');
    expect(screen.getByRole('option', { selected: true })).toHaveTextContent('Zebra');
    await user.keyboard('{ArrowUp}{Enter}');
    expect(onopen).toHaveBeenCalledWith('u1');

    await user.click(screen.getByRole('button', { name: 'Sort: Name', description: 'Press to sort by last update' }));
    expect(screen.getAllByRole('option')[1]).toHaveTextContent('Zebra');
    await user.type(screen.getByRole('searchbox', { name: 'Search collections by name' }), 'zeb');
    expect(screen.getAllByRole('option')).toHaveLength(1);
    expect(screen.getByTestId('collection-count')).toHaveTextContent('1 of 3');
    await user.keyboard('{Enter}');
    expect(onopen).toHaveBeenLastCalledWith('u3');
    await user.type(screen.getByRole('searchbox'), 'nothing');
    expect(screen.getByText('No collection matches the search.')).toBeInTheDocument();
  });

  it('opens a collection on double click', async () => {
    const onopen = vi.fn();
    render(CollectionList, { props: { collections: three, onopen } });
    await userEvent.setup().dblClick(screen.getByRole('option', { name: /Zebra/ }));
    expect(onopen).toHaveBeenCalledWith('u3');
  });

  it('shows names with markup as text', () => {
    const evil = [c('x1', '<script>alert(1)</script>', '2026-01-01T00:00:00Z'), c('x2', '<img src=x onerror=alert(1)>', '2026-01-01T00:00:00Z')];
    render(CollectionList, { props: { collections: evil, onopen: vi.fn() } });
    expect(screen.getByText('<img src=x onerror=alert(1)>')).toBeInTheDocument();
    expect(screen.getByText('<script>alert(1)</script>')).toBeInTheDocument();
    expect(document.querySelector('img')).toBeNull();
    expect(document.body.querySelector('script')).toBeNull();
  });

  it('renders only a window of 10,000 collections (virtualised)', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => c(`u${i}`, `Collection ${i}`, '2026-01-01T00:00:00Z'));
    const t0 = performance.now();
    render(CollectionList, { props: { collections: many, onopen: vi.fn() } });
    const rendered = screen.getAllByRole('option').length;
    console.info(`CollectionList: first render of 10,000 collections took ${(performance.now() - t0).toFixed(1)} ms (jsdom)`);
    expect(screen.getByTestId('collection-count')).toHaveTextContent('10,000 of 10,000');
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
    const list = screen.getByRole('listbox');
    list.focus();
    await userEvent.setup().keyboard('{End}');
    expect(list.getAttribute('aria-activedescendant')).toMatch(/-u9999$/);
  });

  it('can open on a single click, marks the open collection and the unsaved ones', async () => {
    const onopen = vi.fn();
    const list = [c('u1', 'Billing API', '2026-01-02T00:00:00Z'), { ...c('u2', 'Accounts', '2026-01-01T00:00:00Z'), hasDraft: true }];
    render(CollectionList, { props: { collections: list, onopen, openOnClick: true, openUid: 'u1' } });
    expect(screen.getByRole('option', { name: /Billing API/ })).toHaveAttribute('aria-current', 'true');
    expect(screen.getByRole('option', { name: /Accounts/ })).not.toHaveAttribute('aria-current');
    expect(screen.getByRole('option', { name: /Accounts/ })).toHaveTextContent('Unsaved');
    expect(screen.getAllByTestId('unsaved-marker')).toHaveLength(1);
    await userEvent.setup().click(screen.getByRole('option', { name: /Accounts/ }));
    expect(onopen).toHaveBeenCalledWith('u2');
  });
});
