import { describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import SharingView from './SharingView.svelte';
import SharePanel from '../sharing/SharePanel.svelte';
import { KeyPager } from '../sharing/pager.svelte';
import { AppError } from '../platform/ipc';
import { accessKeyRow, fakeCommands, fakeSharing, keyExpiringIn } from '../test-fakes';
import type { AccessKeyRow } from '../bindings/AccessKeyRow';
import type { RevokeResult } from '../bindings/RevokeResult';

const TOKEN = 'PMAT-01HZX4EXAMPLESECRETVALUE9A7Q43BR';

/** Five keys over two collections: one expiring in 3 days, one expired, one inactive. */
function sampleKeys(): AccessKeyRow[] {
  return [
    keyExpiringIn(40, { id: 'ak-1', masked: 'PMAT-…AAAA', createdAt: '2026-10-01T00:00:00.000Z', lastUsedAt: '2026-11-20T08:00:00.000Z' }),
    keyExpiringIn(3, { id: 'ak-2', masked: 'PMAT-…BBBB', collectionUid: 'c-2', collectionName: 'Accounts', createdAt: '2026-10-02T00:00:00.000Z' }),
    keyExpiringIn(-2, { id: 'ak-3', masked: 'PMAT-…CCCC', createdAt: '2026-10-03T00:00:00.000Z' }),
    accessKeyRow({ id: 'ak-4', masked: 'PMAT-…DDDD', status: 'inactive', createdAt: '2026-10-04T00:00:00.000Z' }),
    keyExpiringIn(20, { id: 'ak-5', masked: 'PMAT-…EEEE', collectionUid: 'c-9', collectionName: null, createdAt: '2026-10-05T00:00:00.000Z' }),
  ];
}

function setup(keys = sampleKeys(), pageSize = 2) {
  const user = userEvent.setup();
  const fake = fakeCommands();
  const sharing = fakeSharing(keys, pageSize);
  const commands = { ...fake.commands, ...sharing.commands };
  render(SharingView, { props: { commands } });
  return { user, commands, sharing };
}

const rowIds = () => screen.queryAllByTestId('access-key-row').map((r) => r.getAttribute('data-key-id'));
const rowOf = (id: string) => screen.getAllByTestId('access-key-row').find((r) => r.getAttribute('data-key-id') === id)!;

describe('the Sharing view', () => {
  it('loads page after page with Load more, never asking for a page twice', async () => {
    const { user, commands } = setup();
    await waitFor(() => expect(rowIds()).toEqual(['ak-1', 'ak-2']));
    await user.click(screen.getByTestId('load-more'));
    await waitFor(() => expect(rowIds()).toHaveLength(4));
    await user.click(screen.getByTestId('load-more'));
    await waitFor(() => expect(rowIds()).toEqual(['ak-1', 'ak-2', 'ak-3', 'ak-4', 'ak-5']));
    expect(screen.queryByTestId('load-more')).toBeNull();
    expect(commands.accessKeys.mock.calls).toEqual([
      [null, null, false, true],
      [null, 'p2', false, true],
      [null, 'p4', false, true],
    ]);
  });

  it('refresh starts again from the first page with force', async () => {
    const { user, commands } = setup();
    await waitFor(() => expect(rowIds()).toHaveLength(2));
    await user.click(screen.getByTestId('load-more'));
    await waitFor(() => expect(rowIds()).toHaveLength(4));
    await user.click(screen.getByTestId('refresh'));
    await waitFor(() => expect(commands.accessKeys).toHaveBeenLastCalledWith(null, null, true, true));
    await waitFor(() => expect(rowIds()).toEqual(['ak-1', 'ak-2']));
  });

  it('asks Rust for expiry notifications unless the user turned them off (remembered)', async () => {
    localStorage.removeItem('postdesk.notifyExpiringKeys');
    const { user, commands } = setup();
    await waitFor(() => expect(rowIds()).toHaveLength(2));
    expect(commands.accessKeys).toHaveBeenLastCalledWith(null, null, false, true);
    await user.click(screen.getByTestId('notify-expiring'));
    expect(localStorage.getItem('postdesk.notifyExpiringKeys')).toBe('off');
    await user.click(screen.getByTestId('refresh'));
    await waitFor(() => expect(commands.accessKeys).toHaveBeenLastCalledWith(null, null, true, false));
    localStorage.removeItem('postdesk.notifyExpiringKeys');
  });

  it('filters by status and highlights keys about to expire', async () => {
    const { user } = setup(sampleKeys(), 50);
    await waitFor(() => expect(rowIds()).toHaveLength(5));
    const soon = rowOf('ak-2');
    expect(soon).toHaveClass('expiring');
    expect(soon).toHaveTextContent('expires in 3 days');
    expect(rowOf('ak-3')).toHaveTextContent('expired');
    expect(rowOf('ak-1')).toHaveTextContent('in 40 days');
    expect(rowOf('ak-2')).toHaveTextContent('never');
    await user.selectOptions(screen.getByTestId('filter-status'), 'expiring');
    expect(rowIds()).toEqual(['ak-2']);
    await user.selectOptions(screen.getByTestId('filter-status'), 'inactive');
    expect(rowIds()).toEqual(['ak-4']);
    await user.selectOptions(screen.getByTestId('filter-status'), 'all');
    await user.selectOptions(screen.getByTestId('filter-collection'), 'c-2');
    expect(rowIds()).toEqual(['ak-2']);
    // A collection missing from the list shows (and filters) by its uid.
    await user.selectOptions(screen.getByTestId('filter-collection'), 'c-9');
    expect(rowIds()).toEqual(['ak-5']);
    expect(rowOf('ak-5')).toHaveTextContent('c-9');
  });

  it('sorts by expiry, unknown dates last, both ways', async () => {
    const { user } = setup(sampleKeys(), 50);
    await waitFor(() => expect(rowIds()).toHaveLength(5));
    const header = screen.getByTestId('sort-expiresAt');
    expect(header.closest('th')).toHaveAttribute('aria-sort', 'none');
    await user.click(header);
    expect(header.closest('th')).toHaveAttribute('aria-sort', 'ascending');
    expect(rowIds()).toEqual(['ak-3', 'ak-2', 'ak-5', 'ak-1', 'ak-4']);
    await user.click(header);
    expect(header.closest('th')).toHaveAttribute('aria-sort', 'descending');
    expect(rowIds()).toEqual(['ak-1', 'ak-5', 'ak-2', 'ak-3', 'ak-4']);
  });

  it('revokes many: confirms the count, shows progress, then each result with the failure', async () => {
    const { user, commands, sharing } = setup(sampleKeys(), 50);
    sharing.state.failRevoke.set('ak-3', 'Postman refused to revoke this key (403).');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const real = commands.revokeAccessKeys.getMockImplementation()!;
    commands.revokeAccessKeys.mockImplementation(async (ids: string[]): Promise<RevokeResult[]> => {
      sharing.emitRevokeProgress({ done: 1, total: ids.length, last: { id: ids[0]!, ok: true, error: null } });
      await gate;
      return real(ids);
    });
    await waitFor(() => expect(rowIds()).toHaveLength(5));
    for (const id of ['ak-1', 'ak-2', 'ak-3']) await user.click(within(rowOf(id)).getByRole('checkbox'));
    await user.click(screen.getByTestId('revoke-selected'));
    expect(screen.getByTestId('revoke-confirm')).toHaveTextContent('Revoke 3 access keys?');
    expect(screen.getByRole('button', { name: 'Revoke 3 keys' })).toHaveFocus();
    await user.click(screen.getByTestId('confirm-revoke'));

    const progress = await screen.findByTestId('revoke-progress');
    await waitFor(() => expect(progress).toHaveAttribute('value', '1'));
    expect(progress).toHaveAttribute('max', '3');
    expect(screen.getByTestId('revoke-selected')).toBeDisabled();
    expect(within(rowOf('ak-5')).getByRole('button', { name: /Revoke/ })).toBeDisabled();
    release();

    const results = await screen.findByTestId('revoke-results');
    expect(screen.queryByTestId('revoke-progress')).toBeNull();
    expect(commands.revokeAccessKeys).toHaveBeenCalledWith(['ak-1', 'ak-2', 'ak-3']);
    expect(results).toHaveTextContent('Revoked 2 of 3; 1 key could not be revoked.');
    expect(results).toHaveTextContent('PMAT-…CCCC (Billing API): not revoked — Postman refused to revoke this key (403).');
    expect(results).toHaveTextContent('PMAT-…AAAA (Billing API): revoked');
    await waitFor(() => expect(rowOf('ak-1')).toHaveAttribute('data-status', 'inactive'));
    expect(rowOf('ak-2')).toHaveAttribute('data-status', 'inactive');
    expect(rowOf('ak-3')).toHaveAttribute('data-status', 'expired');
    expect(commands.accessKeys).toHaveBeenLastCalledWith(null, null, true, true);
  });

  it('revokes one key after confirming, and re-reads every loaded page', async () => {
    const { user, commands } = setup();
    await waitFor(() => expect(rowIds()).toHaveLength(2));
    await user.click(screen.getByTestId('load-more'));
    await waitFor(() => expect(rowIds()).toHaveLength(4));
    await user.click(within(rowOf('ak-2')).getByRole('button', { name: 'Revoke PMAT-…BBBB' }));
    expect(screen.getByTestId('revoke-confirm')).toHaveTextContent('Revoke the access key PMAT-…BBBB of "Accounts"?');
    await user.click(screen.getByTestId('confirm-revoke'));
    await screen.findByTestId('revoke-results');
    await waitFor(() => expect(rowOf('ak-2')).toHaveAttribute('data-status', 'inactive'));
    expect(rowIds()).toHaveLength(4);
    expect(commands.accessKeys.mock.calls.slice(-2)).toEqual([
      [null, null, true, true],
      [null, 'p2', true, true],
    ]);
  });

  it('shows hostile collection names as text', async () => {
    const hostile = '<img src=x onerror="alert(1)"><b>Billing</b>';
    setup([accessKeyRow({ id: 'ak-x', collectionName: hostile })], 50);
    await waitFor(() => expect(rowIds()).toEqual(['ak-x']));
    expect(within(rowOf('ak-x')).getByTestId('key-collection')).toHaveTextContent(hostile);
    expect(document.querySelector('img')).toBeNull();
    expect(document.querySelector('b')).toBeNull();
    expect(screen.getByTestId('filter-collection')).toHaveTextContent(hostile);
  });

  it('copies the link of a kept key through Rust', async () => {
    const { user, commands, sharing } = setup([], 50);
    await screen.findByRole('region', { name: 'Sharing: empty' });
    const made = await sharing.commands.mintAccessKey('c-1');
    await user.click(screen.getByTestId('refresh'));
    await waitFor(() => expect(rowIds()).toEqual([made.key.id]));
    await user.click(screen.getByTestId('copy-row-link'));
    expect(commands.copyShare).toHaveBeenCalledWith(made.key.id, 'c-1', 'link');
    expect(screen.getByTestId('copy-status')).toHaveTextContent(`Copied the link of ${made.key.masked}.`);
    expect(sharing.state.clipboard).toHaveLength(1);
    expect(document.body.innerHTML).not.toContain(sharing.state.clipboard[0]);
  });

  it('says there is no key yet, and shows a listing error verbatim', async () => {
    setup([], 50);
    expect(await screen.findByRole('region', { name: 'Sharing: empty' })).toHaveTextContent('PMAT-');

    const fake = fakeCommands({
      accessKeys: vi.fn(async () => {
        throw new AppError('sharing.refused', 'Postman refused to list the access keys (403).');
      }),
    });
    render(SharingView, { props: { commands: fake.commands } });
    expect(await screen.findByTestId('sharing-error')).toHaveTextContent('Postman refused to list the access keys (403).');
  });
});

describe('KeyPager', () => {
  it('asks for each page once even when asked again meanwhile', async () => {
    const sharing = fakeSharing(sampleKeys(), 2);
    const pager = new KeyPager(sharing.commands, null);
    await Promise.all([pager.start(), pager.start()]);
    await Promise.all([pager.loadMore(), pager.loadMore()]);
    await pager.loadMore();
    await pager.loadMore();
    expect(sharing.commands.accessKeys.mock.calls.map((c) => c[1])).toEqual([null, 'p2', 'p4']);
    expect(pager.rows.map((r) => r.id)).toEqual(['ak-1', 'ak-2', 'ak-3', 'ak-4', 'ak-5']);
    expect(pager.more).toBe(false);
  });
});

describe('the Share panel', () => {
  function panel(region: 'sandbox' | 'us' = 'us', keys: AccessKeyRow[] = []) {
    const user = userEvent.setup();
    const fake = fakeCommands({ activeKey: vi.fn(async () => ({ id: 'k-1', name: 'Work', region, masked: 'PMAK-…ab12' })) });
    const sharing = fakeSharing(keys, 50);
    const commands = { ...fake.commands, ...sharing.commands };
    render(SharePanel, { props: { commands, uid: 'c-1', name: 'Billing API', onclose: () => {} } });
    return { user, commands, sharing };
  }

  it('walks through Postman, verifies the pasted key, clears the field and shows the masked link', async () => {
    const { user, commands } = panel('us');
    expect(await screen.findByTestId('share-steps')).toHaveTextContent('Share → Via API → Generate New Key');
    expect(screen.queryByTestId('mint-key')).toBeNull();
    await user.click(screen.getByTestId('open-in-postman'));
    expect(commands.openInPostman).toHaveBeenCalledWith('c-1');

    const input = screen.getByTestId('token-input') as HTMLInputElement;
    expect(input).toHaveAttribute('type', 'password');
    expect(input).toHaveAttribute('autocomplete', 'off');
    await user.type(input, TOKEN);
    await user.click(screen.getByTestId('verify-token'));
    expect(commands.addAccessToken).toHaveBeenCalledWith('c-1', TOKEN);
    expect(await screen.findByTestId('share-link')).toHaveTextContent('https://api.postman.com/collections/c-1?access_key=PMAT-…43BR');
    expect(input.value).toBe('');
    expect(document.body.innerHTML).not.toContain(TOKEN);
    expect(document.body.textContent).not.toContain(TOKEN);
    // The new key is listed, with its link copyable again.
    await waitFor(() => expect(rowIds()).toEqual(['ak-new-1']));
  });

  it('clears the field when the key is refused, and shows the message verbatim', async () => {
    const { user } = panel('us');
    const input = (await screen.findByTestId('token-input')) as HTMLInputElement;
    await user.type(input, 'PMAK-not-a-share-key');
    await user.click(screen.getByTestId('verify-token'));
    expect(await screen.findByTestId('share-error')).toHaveTextContent('That is not a collection access key (PMAT-…).');
    expect(input.value).toBe('');
    expect(screen.queryByTestId('share-link')).toBeNull();
  });

  it('copies the link, newman and curl texts with the right arguments', async () => {
    const { user, commands, sharing } = panel('sandbox');
    await user.click(await screen.findByTestId('mint-key'));
    expect(commands.mintAccessKey).toHaveBeenCalledWith('c-1');
    await screen.findByTestId('share-link');
    expect(screen.getByTestId('token-input')).toBeInTheDocument();
    const id = 'ak-new-1';
    await user.click(screen.getByTestId('copy-newman'));
    expect(commands.copyShare).toHaveBeenLastCalledWith(id, 'c-1', 'newman');
    expect(screen.getByTestId('copy-status')).toHaveTextContent('Copied the newman command');
    await user.click(screen.getByTestId('copy-curl'));
    expect(commands.copyShare).toHaveBeenLastCalledWith(id, 'c-1', 'curl');
    await user.click(screen.getByTestId('copy-link'));
    expect(commands.copyShare).toHaveBeenLastCalledWith(id, 'c-1', 'link');
    expect(screen.getByTestId('copy-status')).toHaveTextContent('Copied the link');
    expect(sharing.state.clipboard).toHaveLength(3);
    for (const text of sharing.state.clipboard) expect(document.body.innerHTML).not.toContain(text);
  });

  it("lists the collection's keys: a kept one can be copied again, the others say why not", async () => {
    const keys = [accessKeyRow({ id: 'ak-1', kept: false }), accessKeyRow({ id: 'ak-2', masked: 'PMAT-…KEPT', kept: true })];
    const { user, commands, sharing } = panel('us', keys);
    sharing.state.tokens.set('ak-2', TOKEN);
    await waitFor(() => expect(rowIds()).toEqual(['ak-1', 'ak-2']));
    expect(commands.accessKeys).toHaveBeenCalledWith('c-1', null, false);
    expect(rowOf('ak-1')).toHaveTextContent('token not kept (Postman shows it once)');
    expect(within(rowOf('ak-1')).queryByTestId('copy-row-link')).toBeNull();
    await user.click(within(rowOf('ak-2')).getByTestId('copy-row-link'));
    expect(commands.shareTexts).toHaveBeenCalledWith('ak-2', 'c-1');
    expect(commands.copyShare).toHaveBeenCalledWith('ak-2', 'c-1', 'link');
    expect(await screen.findByTestId('share-link')).toHaveTextContent('access_key=PMAT-…KEPT');
    expect(screen.getByTestId('copy-status')).toHaveTextContent('Copied the link of PMAT-…KEPT.');
    expect(document.body.innerHTML).not.toContain(TOKEN);
  });
});

describe('Share from the Collections view', () => {
  it('opens the Share panel for the open collection', async () => {
    const { default: CollectionsView } = await import('./CollectionsView.svelte');
    const { fakeLayout } = await import('../collections/test-layout');
    fakeLayout();
    localStorage.clear();
    const user = userEvent.setup();
    const fake = fakeCommands();
    render(CollectionsView, { props: { commands: fake.commands } });
    await user.click(await screen.findByRole('option', { name: /Billing API/ }));
    await screen.findByTestId('collection-detail');
    await user.click(screen.getByTestId('share'));
    const shared = await screen.findByTestId('share-panel');
    expect(shared).toHaveAccessibleName('Share Billing API');
    expect(await within(shared).findByTestId('mint-key')).toBeInTheDocument();
    expect(fake.commands.accessKeys).toHaveBeenCalledWith('c-1', null, false);
    await user.click(within(shared).getByTestId('mint-key'));
    expect(await within(shared).findByTestId('share-link')).toHaveTextContent('collections/c-1?access_key=PMAT-…');
    await user.click(screen.getByRole('button', { name: 'Close the Share panel' }));
    expect(screen.queryByTestId('share-panel')).toBeNull();
  });
});
