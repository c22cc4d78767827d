import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import SharingView from './SharingView.svelte';
import SharePanel from '../sharing/SharePanel.svelte';
import { KeyPager } from '../sharing/pager.svelte';
import { collectionLabel, expiresInText } from '../sharing/access-keys';
import type { AccessKeyRow } from '../bindings/AccessKeyRow';
import { fakeApi, type FakeOptions } from '../testing/fake';
import { argsOf, errOf, okOf } from '../testing/recorded';
import { renderWith } from '../testing/render';
import { APP, EXPIRING, IMPORT, POSTMAN_DOWN, SHARE, STALE, US_KEY } from '../testing/scenarios';
import { fmtClock } from '../lib/format';

function setup(options: FakeOptions = {}) {
  return renderWith(SharingView, { scenario: EXPIRING, ...options });
}

/** The first page of every access key, as Rust listed it, and the next one. */
const page = () => okOf('sharing_page', EXPIRING);
const nextPage = () => okOf('sharing_page', EXPIRING, -1);

const rowIds = () => screen.queryAllByTestId('access-key-row').map((r) => r.getAttribute('data-key-id'));
const rowOf = (id: string) => screen.getAllByTestId('access-key-row').find((r) => r.getAttribute('data-key-id') === id)!;
const find = (match: (r: AccessKeyRow) => boolean) => page().rows.find(match)!;

describe('the Sharing view', () => {
  it('says when the keys were fetched, and when a refresh failed which copy it shows', async () => {
    const [fresh, stale] = [okOf('sharing_page', STALE, 0), okOf('sharing_page', STALE, 1)];
    expect(stale.source.failure).not.toBeNull();
    const { user } = setup({ scenario: STALE });
    await waitFor(() => expect(rowIds()).toEqual(fresh.rows.map((r) => r.id)));
    const at = fmtClock(fresh.source.fetchedAt, Date.now());
    expect(screen.getByTestId('sharing-freshness')).toHaveTextContent(`Fetched at ${at}`);
    await user.click(screen.getByTestId('refresh'));
    await waitFor(() => expect(screen.getByTestId('sharing-freshness')).toHaveAttribute('data-state', 'stale'));
    expect(screen.getByTestId('sharing-freshness')).toHaveTextContent(`Could not refresh: ${stale.source.failure} — showing the copy from ${at}`);
    expect(rowIds()).toEqual(stale.rows.map((r) => r.id));
  });

  it('lists the first page, offers the next, and refresh starts again with force', async () => {
    const { user, calls } = setup();
    await waitFor(() => expect(rowIds()).toEqual(page().rows.map((r) => r.id)));
    expect(calls.of('sharing_page')).toEqual([{ collection: null, cursor: null, force: false }]);
    expect(page().nextCursor).not.toBeNull();
    expect(screen.getByTestId('load-more')).toBeInTheDocument();
    expect(screen.getByTestId('key-count')).toHaveTextContent(`${page().rows.length} keys loaded; more to load`);
    await user.click(screen.getByTestId('refresh'));
    await waitFor(() => expect(calls.of('sharing_page').at(-1)).toEqual({ collection: null, cursor: null, force: true }));
  });

  it('loads the next page with Load more', async () => {
    const { user, calls } = setup();
    await waitFor(() => expect(rowIds()).toHaveLength(page().rows.length));
    await user.click(screen.getByTestId('load-more'));
    await waitFor(() => expect(calls.of('sharing_page').at(-1)).toEqual({ collection: null, cursor: page().nextCursor, force: false }));
    await waitFor(() => expect(rowIds()).toEqual([...page().rows, ...nextPage().rows].map((r) => r.id)));
  });

  it('turns the expiry notifications off through Rust, which answers what it keeps', async () => {
    const { user, calls } = setup();
    const toggle = await screen.findByTestId('notify-expiring');
    await waitFor(() => expect(toggle).toBeEnabled());
    expect(toggle).toHaveProperty('checked', okOf('prefs_get', APP).notifyExpiringShares);
    await user.click(toggle);
    await waitFor(() => expect(calls.of('prefs_set')).toHaveLength(1));
    expect(calls.of('prefs_set')[0]!.prefs.notifyExpiringShares).toBe(false);
    await waitFor(() => expect(toggle).toHaveProperty('checked', okOf('prefs_set', APP).notifyExpiringShares));
    // Rust reads the preference itself: the page is asked for without it.
    expect(Object.keys(calls.of('sharing_page')[0]!).sort()).toEqual(['collection', 'cursor', 'force']);
  });

  it('filters by status and collection, and highlights keys about to expire', async () => {
    const { user } = setup();
    await waitFor(() => expect(rowIds()).toHaveLength(page().rows.length));
    const soon = find((r) => r.status === 'expiring');
    const gone = find((r) => r.status === 'expired');
    const unnamed = find((r) => r.collectionName === null);
    expect(rowOf(soon.id)).toHaveClass('expiring');
    expect(rowOf(soon.id)).toHaveTextContent(`expires ${expiresInText(soon)}`);
    expect(rowOf(gone.id)).toHaveTextContent('expired');
    await user.selectOptions(screen.getByTestId('filter-status'), 'expiring');
    expect(rowIds()).toEqual(page().rows.filter((r) => r.status === 'expiring').map((r) => r.id));
    await user.selectOptions(screen.getByTestId('filter-status'), 'inactive');
    expect(rowIds()).toEqual(page().rows.filter((r) => r.status === 'inactive').map((r) => r.id));
    await user.selectOptions(screen.getByTestId('filter-status'), 'all');
    await user.selectOptions(screen.getByTestId('filter-collection'), soon.collectionUid!);
    expect(rowIds()).toEqual(page().rows.filter((r) => r.collectionUid === soon.collectionUid).map((r) => r.id));
    // A collection Rust could not name shows (and filters) by its uid.
    await user.selectOptions(screen.getByTestId('filter-collection'), unnamed.collectionUid!);
    expect(rowIds()).toEqual([unnamed.id]);
    expect(rowOf(unnamed.id)).toHaveTextContent(collectionLabel(unnamed));
  });

  it('sorts by expiry, both ways', async () => {
    const { user } = setup();
    await waitFor(() => expect(rowIds()).toHaveLength(page().rows.length));
    const keyed = page().rows.map((r, i) => ({ id: r.id, t: Date.parse(r.expiresAt!), i }));
    // Ties keep the server's order, both ways.
    const byExpiry = [...keyed].sort((a, b) => a.t - b.t || a.i - b.i).map((r) => r.id);
    const latestFirst = [...keyed].sort((a, b) => b.t - a.t || a.i - b.i).map((r) => r.id);
    const header = screen.getByTestId('sort-expiresAt');
    expect(header.closest('th')).toHaveAttribute('aria-sort', 'none');
    await user.click(header);
    expect(header.closest('th')).toHaveAttribute('aria-sort', 'ascending');
    expect(rowIds()).toEqual(byExpiry);
    await user.click(header);
    expect(header.closest('th')).toHaveAttribute('aria-sort', 'descending');
    expect(rowIds()).toEqual(latestFirst);
  });

  it('revokes many: confirms the count, shows the progress Rust reports, then its results', async () => {
    const { user, calls, emit, hold } = setup();
    await waitFor(() => expect(rowIds()).toHaveLength(page().rows.length));
    const chosen = page().rows.filter((r) => r.status === 'active').slice(0, 3);
    for (const r of chosen) await user.click(within(rowOf(r.id)).getByRole('checkbox'));
    await user.click(screen.getByTestId('revoke-selected'));
    expect(screen.getByTestId('revoke-confirm')).toHaveTextContent(`Revoke ${chosen.length} access keys?`);
    expect(screen.getByRole('button', { name: `Revoke ${chosen.length} keys` })).toHaveFocus();
    const revoking = hold('sharing_revoke');
    await user.click(screen.getByTestId('confirm-revoke'));
    const progress = await screen.findByTestId('revoke-progress');
    const report = emit('revoke-progress');
    await waitFor(() => expect(progress).toHaveAttribute('value', String(report.done)));
    expect(progress).toHaveAttribute('max', String(report.total));
    expect(screen.getByTestId('revoke-selected')).toBeDisabled();
    revoking.release();
    const results = await screen.findByTestId('revoke-results');
    expect(screen.queryByTestId('revoke-progress')).toBeNull();
    expect(calls.of('sharing_revoke')).toEqual([{ ids: chosen.map((r) => r.id) }]);
    const answer = okOf('sharing_revoke', SHARE);
    expect(results).toHaveTextContent(`Revoked ${answer.filter((r) => r.ok).length} of ${answer.length}`);
    // Every loaded page is read again, past the cache.
    await waitFor(() => expect(calls.of('sharing_page').at(-1)).toEqual({ collection: null, cursor: null, force: true }));
  });

  it('says there is no key yet', async () => {
    setup({ overrides: { sharing_page: (e) => 'ok' in e && e.ok.rows.length === 0 } });
    expect(await screen.findByRole('region', { name: 'Sharing: empty' })).toHaveTextContent('PMAT-');
  });

  it('shows a listing error verbatim', async () => {
    setup({ overrides: { sharing_page: POSTMAN_DOWN } });
    expect(await screen.findByTestId('sharing-error')).toHaveTextContent(errOf('sharing_page', POSTMAN_DOWN).message);
  });
});

describe('KeyPager', () => {
  it('asks for each page once even when asked again meanwhile', async () => {
    const { api, calls } = fakeApi({ scenario: EXPIRING });
    const pager = new KeyPager(api, null);
    await Promise.all([pager.start(), pager.start()]);
    await Promise.all([pager.loadMore(), pager.loadMore()]);
    await pager.loadMore();
    expect(calls.of('sharing_page').map((c) => c.cursor)).toEqual([null, page().nextCursor]);
    expect(pager.rows.map((r) => r.id)).toEqual([...page().rows, ...nextPage().rows].map((r) => r.id));
  });
});

describe('the Share panel', () => {
  const made = () => okOf('library_create_collection', SHARE);
  function panel(options: FakeOptions = {}) {
    return renderWith(SharePanel, { scenario: SHARE, ...options, props: { uid: made().uid!, name: made().name, onclose: () => {} } });
  }

  it('verifies the pasted key, clears the field at once and shows the masked link', async () => {
    const { user, calls } = panel({ overrides: { sharing_add_token: (e) => 'ok' in e } });
    const pasted = argsOf('sharing_add_token', SHARE, 2).token;
    const shared = okOf('sharing_add_token', SHARE);
    const input = (await screen.findByTestId('token-input')) as HTMLInputElement;
    expect(input).toHaveAttribute('type', 'password');
    expect(input).toHaveAttribute('autocomplete', 'off');
    await user.click(input);
    await user.paste(pasted);
    await user.click(screen.getByTestId('verify-token'));
    // (A password field drops the line break of the paste; Rust trims the rest.)
    expect(calls.of('sharing_add_token')).toEqual([{ uid: made().uid, token: pasted.replace(/\n/g, '') }]);
    expect(await screen.findByTestId('share-link')).toHaveTextContent(shared.texts.linkMasked);
    expect(input.value).toBe('');
    expect(document.body.innerHTML).not.toContain(pasted.trim());
    // The new key is listed, its link copyable again.
    await waitFor(() => expect(rowIds()).toEqual([shared.key.id]));
  });

  it('clears the field when Rust refuses the key, and shows its sentence verbatim', async () => {
    const { user } = panel();
    const input = (await screen.findByTestId('token-input')) as HTMLInputElement;
    for (const n of [0, 1]) {
      await user.type(input, argsOf('sharing_add_token', SHARE, n).token);
      await user.click(screen.getByTestId('verify-token'));
      expect(await screen.findByTestId('share-error')).toHaveTextContent(errOf('sharing_add_token', SHARE, n).message);
      expect(input.value).toBe('');
      expect(screen.queryByTestId('share-link')).toBeNull();
    }
  });

  it('makes a key in the built-in sandbox and copies its link, newman and curl texts through Rust', async () => {
    const { user, calls } = panel();
    const minted = okOf('sharing_mint', SHARE);
    await user.click(await screen.findByTestId('mint-key'));
    expect(calls.of('sharing_mint')).toEqual([{ uid: made().uid }]);
    expect(await screen.findByTestId('share-link')).toHaveTextContent(minted.texts.linkMasked);
    for (const [what, text] of [['newman', 'newman command'], ['curl', 'curl command'], ['link', 'link']] as const) {
      await user.click(screen.getByTestId(`copy-${what}`));
      expect(calls.of('sharing_copy').at(-1)).toEqual({ keyId: minted.key.id, uid: made().uid, what });
      await waitFor(() => expect(screen.getByTestId('copy-status')).toHaveTextContent(`Copied the ${text} of ${minted.key.masked}.`));
    }
    // What Rust did with the clipboard, said as Rust answered it.
    const copied = okOf('sharing_copy', SHARE);
    expect(copied).toEqual({ clearsInSecs: 60, hiddenFromHistory: true });
    expect(screen.getByTestId('copy-status')).toHaveTextContent(
      'It is kept out of clipboard history, and cleared from the clipboard in 60 s unless you copy something else.',
    );
  });

  it("lists the collection's keys: a kept one's link is copied again, a revoked one says why not", async () => {
    const { user, calls } = panel();
    const minted = okOf('sharing_mint', SHARE);
    await user.click(await screen.findByTestId('mint-key'));
    await waitFor(() => expect(rowIds()).toEqual([minted.key.id]));
    await user.click(within(rowOf(minted.key.id)).getByTestId('copy-row-link'));
    expect(calls.of('sharing_texts')).toEqual([{ keyId: minted.key.id, uid: made().uid }]);
    expect(calls.of('sharing_copy')).toEqual([{ keyId: minted.key.id, uid: made().uid, what: 'link' }]);
    await waitFor(() => expect(screen.getByTestId('copy-status')).toHaveTextContent(`Copied the link of ${minted.key.masked}.`));
    // Revoked: Rust lists it again, inactive and without its token.
    await user.click(within(rowOf(minted.key.id)).getByRole('button', { name: `Revoke ${minted.key.masked}` }));
    await user.click(screen.getByTestId('confirm-revoke'));
    expect(await screen.findByTestId('revoke-results')).toHaveTextContent(`${minted.key.masked} (${minted.key.collectionName}): revoked`);
    await waitFor(() => expect(rowOf(minted.key.id)).toHaveAttribute('data-status', 'inactive'));
    expect(within(rowOf(minted.key.id)).getByTestId('not-kept')).toHaveTextContent('token not kept (Postman shows it once)');
    expect(within(rowOf(minted.key.id)).queryByTestId('copy-row-link')).toBeNull();
    expect(screen.queryByTestId('share-result')).toBeNull();
  });

  it("walks through Postman when the active key is not the sandbox's", async () => {
    // A key of the US region (added while Postman could not be reached, so unverified).
    const { user, calls } = panel({ overrides: { engine_active_key: US_KEY } });
    expect(okOf('engine_active_key', US_KEY)!.region).toBe('us');
    expect(await screen.findByTestId('share-steps')).toHaveTextContent('Share → Via API → Generate New Key');
    expect(screen.queryByTestId('mint-key')).toBeNull();
    await user.click(screen.getByTestId('open-in-postman'));
    expect(calls.of('sharing_open_postman')).toEqual([{ uid: made().uid }]);
  });
});

describe('Share from the Collections view', () => {
  it('opens the Share panel for the open collection', async () => {
    const { default: CollectionsView } = await import('./CollectionsView.svelte');
    const { fakeLayout } = await import('../collections/test-layout');
    fakeLayout();
    const { user, calls } = renderWith(CollectionsView, { scenario: IMPORT, overrides: { sharing_page: SHARE, sharing_mint: SHARE } });
    const view = okOf('library_open_collection', IMPORT);
    await user.click(await screen.findByRole('option', { name: new RegExp(view.name) }));
    await screen.findByTestId('collection-detail');
    await user.click(screen.getByTestId('share'));
    const shared = await screen.findByTestId('share-panel');
    expect(shared).toHaveAccessibleName(`Share ${view.name}`);
    expect(await within(shared).findByTestId('mint-key')).toBeInTheDocument();
    expect(calls.of('sharing_page')).toEqual([{ collection: view.uid, cursor: null, force: false }]);
    await user.click(within(shared).getByTestId('mint-key'));
    expect(await within(shared).findByTestId('share-link')).toHaveTextContent(okOf('sharing_mint', SHARE).texts.linkMasked);
    await user.click(screen.getByRole('button', { name: 'Close the Share panel' }));
    expect(screen.queryByTestId('share-panel')).toBeNull();
  });
});
