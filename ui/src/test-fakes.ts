// In-memory stand-ins for the platform commands, for unit tests (the real ones need Tauri).
import { vi } from 'vitest';
import type { Commands } from './platform';
import type { AppInfo } from './bindings/AppInfo';
import type { Meters } from './bindings/Meters';
import type { UsageSummary } from './bindings/UsageSummary';
import type { ActivityRow } from './bindings/ActivityRow';
import type { AddKey } from './bindings/AddKey';
import type { KeyView } from './bindings/KeyView';
import type { Reminder } from './bindings/Reminder';
import { AppError } from './platform/ipc';
import type { CollectionEdit } from './bindings/CollectionEdit';
import type { CollectionRow } from './bindings/CollectionRow';
import type { CollectionVariable } from './bindings/CollectionVariable';
import type { CollectionView } from './bindings/CollectionView';
import type { Created } from './bindings/Created';
import type { DraftKind } from './bindings/DraftKind';
import type { DraftsOverview } from './bindings/DraftsOverview';
import type { EnvironmentRow } from './bindings/EnvironmentRow';
import type { EnvironmentView } from './bindings/EnvironmentView';
import type { EnvVariable } from './bindings/EnvVariable';
import type { RequestDetail } from './bindings/RequestDetail';
import type { RequestHeader } from './bindings/RequestHeader';
import type { SaveOutcome } from './bindings/SaveOutcome';
import type { SaveProgressEvent } from './bindings/SaveProgressEvent';
import type { TextOutcome } from './bindings/TextOutcome';
import type { TreeNode } from './bindings/TreeNode';
import type { WorkspaceRow } from './bindings/WorkspaceRow';
import type { AccessKeyRow } from './bindings/AccessKeyRow';
import type { AccessKeyPageView } from './bindings/AccessKeyPageView';
import type { RevokeProgress } from './bindings/RevokeProgress';
import type { RevokeResult } from './bindings/RevokeResult';
import type { ShareText } from './bindings/ShareText';
import type { ShareTexts } from './bindings/ShareTexts';
import type { ShareView } from './bindings/ShareView';

/** The fakes' "now": what Rust's clock would say in these tests (they never read the real time). */
export const FAKE_NOW = Date.UTC(2026, 10, 23, 10, 0, 0);

export function keyView(over: Partial<KeyView> = {}): KeyView {
  return {
    id: 'k-1',
    name: 'Work',
    region: 'us',
    last4: 'ab12',
    masked: 'PMAK-…ab12',
    addedAt: Date.UTC(2026, 10, 1),
    expiresOn: null,
    lastVerifiedAt: Date.UTC(2026, 10, 23),
    owner: { userId: '12345678', username: 'taylor-lee', fullName: 'Taylor Lee', teamId: '7', teamName: 'Orbit Labs' },
    status: 'valid',
    monthUsed: 120,
    monthLimit: 1000,
    daysLeft: null,
    urgency: 'none',
    active: true,
    ...over,
  };
}

export const appInfo: AppInfo = {
  name: 'Postdesk',
  version: '9.8.7',
  dataDir: '/home/u/.local/share/dev.postdesk.desktop',
  platform: 'linux',
  sandbox: { url: 'http://127.0.0.1:40123', error: null },
  keychain: { backend: 'Secret Service', available: true, error: null },
  warnings: [],
};

export const noMeters: Meters = {
  rateLimit: 0,
  rateRemaining: 0,
  rateResetInMs: null,
  waitingMs: null,
  queued: 0,
  monthLimit: null,
  monthRemaining: null,
  quotaBlocked: false,
};

export const usage: UsageSummary = {
  username: 'taylor-lee',
  fullName: 'Taylor Lee',
  teamName: 'Orbit',
  used: 812,
  limit: 1000,
  overage: 0,
  share: 0.812,
  projected: 1083,
  level: 'warning',
  operations: [{ name: 'api_usage', limit: 1000, usage: 812, overage: 0 }],
  callsPerDay: [
    { day: '2026-11-01', calls: 3 },
    { day: '2026-11-02', calls: 0 },
  ],
  sessionByEndpoint: [{ endpoint: 'GET /me', calls: 2 }],
  fetchedAt: Date.UTC(2026, 10, 23, 10, 0, 0),
  fromCache: false,
  offline: false,
};

export function row(over: Partial<ActivityRow> = {}): ActivityRow {
  return {
    time: Date.UTC(2026, 10, 23, 10, 0, 0),
    keyName: 'Sandbox (taylor-lee)',
    method: 'GET',
    path: '/me',
    status: 200,
    durationMs: 12,
    bytes: 900,
    rateRemaining: 299,
    error: null,
    attempt: 1,
    ...over,
  };
}

/**
 * Fake commands; `emitMeters` pushes a meters event to whoever listens. `library` is the in-memory
 * collections and environments behind the library commands (see `fakeLibrary`).
 */
export function fakeCommands(over: Partial<Commands> = {}) {
  let listener: ((m: Meters) => void) | null = null;
  const library = fakeLibrary();
  const sharing = fakeSharing();
  const commands = {
    ...library.commands,
    ...sharing.commands,
    appInfo: vi.fn(async () => appInfo),
    activeKey: vi.fn(async () => ({ id: null, name: 'Sandbox (taylor-lee)', region: 'sandbox', masked: 'PMAK-…ab12' })),
    meters: vi.fn(async () => noMeters),
    usage: vi.fn(async () => usage),
    activity: vi.fn(async () => [row()]),
    exportActivity: vi.fn(async () => '/home/u/Downloads/postdesk-activity.csv'),
    keys: vi.fn(async (): Promise<KeyView[]> => []),
    addKey: vi.fn(async (r: AddKey) => keyView({ name: r.name })),
    verifyKey: vi.fn(async (id: string) => keyView({ id })),
    renameKey: vi.fn(async (id: string, name: string) => keyView({ id, name })),
    setKeyExpiry: vi.fn(async (id: string, expiresOn: string | null) => keyView({ id, expiresOn })),
    setActiveKey: vi.fn(async () => null),
    rotateKey: vi.fn(async (_old: string, r: AddKey) => ({
      newKey: keyView({ name: r.name }),
      retiredName: 'Old',
      deleteInPostmanUrl: 'https://go.postman.co/settings/me/api-keys',
    })),
    deleteKey: vi.fn(async () => null),
    dueReminders: vi.fn(async (): Promise<Reminder[]> => []),
    dismissReminder: vi.fn(async () => null),
    openPostmanKeys: vi.fn(async () => null),
    onMeters: vi.fn(async (handler: (m: Meters) => void) => {
      listener = handler;
      return () => (listener = null);
    }),
    ...over,
  } satisfies Commands;
  return { commands, emitMeters: (m: Meters) => listener?.(m), library, sharing };
}

// ---- collections and environments: an in-memory library that behaves like the Rust one ----

interface FakeItem {
  name: string;
  item?: FakeItem[];
  request?: { method: string; url: string; header: RequestHeader[]; body?: { mode: string; raw?: string } };
  description?: string;
}
export interface FakeDoc {
  info: { name: string; description?: string };
  item: FakeItem[];
  variable: CollectionVariable[];
  auth: string | null;
}
interface Doc<T> {
  server: T;
  /** The open working copy, null when closed. */
  working: T | null;
  savedAtMs: number | null;
  workspace: string | null;
  updatedAt: string;
}
export interface FakeEnv {
  name: string;
  values: EnvVariable[];
}

const fail = (code: string, message: string): never => {
  throw new AppError(code, message);
};
const clone = <T>(v: T): T => structuredClone(v);

export const fakeWorkspaces: WorkspaceRow[] = [
  { id: 'ws-1', name: 'Team Space', kind: 'team' },
  { id: 'ws-2', name: 'My Workspace', kind: 'personal' },
];

/** Billing API: a folder with two requests, a root request and an empty folder. */
export function billingDoc(name = 'Billing API'): FakeDoc {
  const req = (n: string, method: string, url: string): FakeItem => ({ name: n, request: { method, url, header: [] } });
  return {
    info: { name, description: 'Invoices and payments.' },
    item: [
      { name: 'Invoices', item: [req('List invoices', 'GET', '{{base}}/invoices'), req('Create invoice', 'POST', '{{base}}/invoices')] },
      req('Health', 'GET', '{{base}}/health'),
      { name: 'Archive', item: [] },
    ],
    variable: [{ key: 'base', value: 'https://api.example.test', disabled: false }],
    auth: 'Bearer token',
  };
}

function treeOf(items: readonly FakeItem[]): TreeNode[] {
  return items.map((it) => ({
    id: null,
    name: it.name,
    method: it.item ? null : (it.request?.method ?? 'GET'),
    url: it.item ? null : (it.request?.url ?? null),
    children: it.item ? treeOf(it.item) : [],
  }));
}

function countItems(items: readonly FakeItem[]): { requests: number; folders: number } {
  let requests = 0;
  let folders = 0;
  for (const it of items) {
    if (it.item) {
      folders++;
      const c = countItems(it.item);
      requests += c.requests;
      folders += c.folders;
    } else requests++;
  }
  return { requests, folders };
}

function listAt(doc: FakeDoc, path: string | null): FakeItem[] {
  let list = doc.item;
  for (const i of path === null || path === '' ? [] : path.split('/').map(Number)) {
    const it = list[i] ?? fail('library.invalidEdit', 'That item no longer exists.');
    list = it.item ?? fail('library.invalidEdit', 'That item is a request, not a folder.');
  }
  return list;
}

function itemAt(doc: FakeDoc, path: string): FakeItem {
  const at = path.lastIndexOf('/');
  return listAt(doc, at === -1 ? null : path.slice(0, at))[Number(path.slice(at + 1))] ?? fail('library.invalidEdit', 'That item no longer exists.');
}

const cleanName = (name: string, what: string) => name.trim() || fail('library.invalidEdit', `A ${what} needs a name.`);

/** The edits of src-tauri/library/edit.rs, on `doc` in place. */
function applyEdit(doc: FakeDoc, edit: CollectionEdit) {
  switch (edit.op) {
    case 'rename': doc.info.name = cleanName(edit.name, 'collection'); break;
    case 'describe': doc.info.description = edit.description; break;
    case 'setVariables':
      edit.variables.forEach((v, i) => v.key.trim() || fail('library.invalidEdit', `Variable ${i + 1} needs a name.`));
      doc.variable = edit.variables.map((v) => ({ ...v, key: v.key.trim() }));
      break;
    case 'addFolder': listAt(doc, edit.parent).push({ name: cleanName(edit.name, 'folder'), item: [] }); break;
    case 'addRequest':
      listAt(doc, edit.parent).push({ name: cleanName(edit.name, 'request'), request: { method: edit.method.toUpperCase(), url: edit.url.trim(), header: [] } });
      break;
    case 'renameItem': {
      const it = itemAt(doc, edit.path);
      it.name = cleanName(edit.name, it.item ? 'folder' : 'request');
      break;
    }
    case 'deleteItem': {
      const at = edit.path.lastIndexOf('/');
      const list = listAt(doc, at === -1 ? null : edit.path.slice(0, at));
      const i = Number(edit.path.slice(at + 1));
      if (i >= list.length) fail('library.invalidEdit', 'That item no longer exists.');
      list.splice(i, 1);
      break;
    }
    case 'moveItem': {
      const src = edit.from.split('/').map(Number);
      const dst = edit.toParent === null ? [] : edit.toParent.split('/').map(Number);
      if (dst.length >= src.length && src.every((x, i) => dst[i] === x)) fail('library.invalidEdit', 'A folder cannot be moved into itself.');
      const depth = src.length - 1;
      if (dst.length > depth && src.slice(0, depth).every((x, i) => dst[i] === x) && dst[depth]! > src[depth]!) dst[depth]! -= 1;
      const [item] = listAt(doc, src.slice(0, -1).join('/')).splice(src[depth]!, 1);
      if (!item) fail('library.invalidEdit', 'That item no longer exists.');
      const target = listAt(doc, dst.join('/'));
      target.splice(Math.min(edit.index, target.length), 0, item!);
      break;
    }
    case 'setRequest': {
      const it = itemAt(doc, edit.path);
      if (it.item) fail('library.invalidEdit', 'That item is a folder, not a request.');
      edit.headers.forEach((h, i) => h.key.trim() || fail('library.invalidEdit', `Header ${i + 1} needs a name.`));
      const body = edit.rawBody === null ? it.request?.body : edit.rawBody === '' ? undefined : { mode: 'raw', raw: edit.rawBody };
      it.request = { method: edit.method.toUpperCase(), url: edit.url.trim(), header: edit.headers, ...(body ? { body } : {}) };
      break;
    }
  }
}

/** `collections`, `environments`: what the fake library holds, for tests to look at or seed. */
export function fakeLibrary() {
  const collections = new Map<string, Doc<FakeDoc>>([
    ['c-1', { server: billingDoc(), working: null, savedAtMs: null, workspace: 'ws-1', updatedAt: '2026-11-20T10:00:00.000Z' }],
    ['c-2', { server: { ...billingDoc('Accounts'), item: [] }, working: null, savedAtMs: null, workspace: 'ws-2', updatedAt: '2026-11-21T10:00:00.000Z' }],
  ]);
  const environments = new Map<string, Doc<FakeEnv>>([
    ['e-1', {
      server: {
        name: 'Staging',
        values: [
          { key: 'baseUrl', value: 'https://staging.example.test', type: 'default', enabled: true, description: '' },
          { key: 'token', value: 's3cr3t-token', type: 'secret', enabled: true, description: 'API token' },
        ],
      },
      working: null, savedAtMs: null, workspace: 'ws-1', updatedAt: '2026-11-20T10:00:00.000Z',
    }],
    ['e-2', { server: { name: 'Production', values: [] }, working: null, savedAtMs: null, workspace: 'ws-2', updatedAt: '2026-11-19T10:00:00.000Z' }],
  ]);
  let progress: ((e: SaveProgressEvent) => void) | null = null;
  let created = 0;

  const collection = (uid: string) => collections.get(uid) ?? fail('library.notFound', 'That collection no longer exists.');
  const environment = (id: string) => environments.get(id) ?? fail('library.notFound', 'That environment no longer exists.');
  const working = <T>(d: Doc<T>, noun: string): T => d.working ?? fail('library.notOpen', `That ${noun} is not open.`);
  const store = <T>(d: Doc<T>, next: T) => {
    d.working = next;
    d.savedAtMs = FAKE_NOW;
  };
  const inWorkspace = (d: Doc<unknown>, ws: string | null) => ws === null || d.workspace === ws;

  function collectionView(uid: string): CollectionView {
    const d = collection(uid);
    const doc = d.working ?? d.server;
    const { requests, folders } = countItems(doc.item);
    return {
      uid,
      name: doc.info.name,
      description: doc.info.description ?? null,
      baseUpdatedAt: d.updatedAt,
      tree: treeOf(doc.item),
      requestCount: requests,
      folderCount: folders,
      bytes: JSON.stringify(doc).length,
      variables: clone(doc.variable),
      auth: doc.auth,
      scripts: [],
      itemsWithScripts: 0,
      draftSavedAtMs: d.savedAtMs,
    };
  }
  function environmentView(id: string): EnvironmentView {
    const d = environment(id);
    const env = d.working ?? d.server;
    return { id, name: env.name, baseUpdatedAt: d.updatedAt, values: clone(env.values), draftSavedAtMs: d.savedAtMs };
  }
  function docOf(kind: DraftKind, id: string): Doc<FakeDoc> | Doc<FakeEnv> {
    return kind === 'collection' ? collection(id) : environment(id);
  }
  function parseCollection(text: string): FakeDoc {
    const v = JSON.parse(text) as Partial<FakeDoc>;
    if (typeof v.info?.name !== 'string') throw new Error('info.name must be a string');
    return { info: v.info, item: v.item ?? [], variable: v.variable ?? [], auth: v.auth ?? null };
  }

  const commands = {
    drafts: vi.fn(async (): Promise<DraftsOverview> => ({
      drafts: [
        ...[...collections].filter(([, d]) => d.savedAtMs !== null).map(([id, d]) => ({
          kind: 'collection' as const, id, name: (d.working ?? d.server).info.name, savedAtMs: d.savedAtMs!, baseUpdatedAt: d.updatedAt,
        })),
        ...[...environments].filter(([, d]) => d.savedAtMs !== null).map(([id, d]) => ({
          kind: 'environment' as const, id, name: (d.working ?? d.server).name, savedAtMs: d.savedAtMs!, baseUpdatedAt: d.updatedAt,
        })),
      ],
      setAside: [],
    })),
    workspaces: vi.fn(async (_force: boolean) => clone(fakeWorkspaces)),
    collections: vi.fn(async (workspace: string | null, _force: boolean): Promise<CollectionRow[]> =>
      [...collections].filter(([, d]) => inWorkspace(d, workspace)).map(([uid, d]) => ({
        uid, id: uid.slice(2), name: d.server.info.name, owner: '12345678', updatedAt: d.updatedAt, isFork: false, hasDraft: d.savedAtMs !== null,
      })),
    ),
    openCollection: vi.fn(async (uid: string, _force: boolean) => {
      const d = collection(uid);
      d.working ??= clone(d.server);
      return collectionView(uid);
    }),
    editCollection: vi.fn(async (uid: string, edit: CollectionEdit) => {
      const d = collection(uid);
      const next = clone(working(d, 'collection'));
      applyEdit(next, edit);
      store(d, next);
      return collectionView(uid);
    }),
    collectionItem: vi.fn(async (uid: string, path: string): Promise<RequestDetail> => {
      const it = itemAt(working(collection(uid), 'collection'), path);
      const r = it.request ?? fail('library.invalidEdit', 'That item is a folder, not a request.');
      return {
        path, name: it.name, method: r.method, url: r.url, headers: clone(r.header),
        bodyMode: r.body?.mode ?? null, rawBody: r.body?.raw ?? null, description: it.description ?? null,
      };
    }),
    collectionText: vi.fn(async (uid: string) => JSON.stringify(working(collection(uid), 'collection'), null, 2)),
    setCollectionText: vi.fn(async (uid: string, text: string): Promise<TextOutcome> => {
      const d = collection(uid);
      working(d, 'collection');
      try {
        store(d, parseCollection(text));
        return { errors: [], view: collectionView(uid) };
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        return { errors: [{ path: message.startsWith('info.name') ? 'info.name' : '', line: 1, column: 1, message }], view: null };
      }
    }),
    createCollection: vi.fn(async (workspace: string | null, name: string | null, importText: string | null): Promise<Created> => {
      let doc: FakeDoc;
      try {
        doc = importText === null ? { ...billingDoc(cleanName(name ?? '', 'collection')), item: [], variable: [] } : parseCollection(importText);
      } catch (e) {
        return fail('library.invalidImport', `This is not a Postman collection: ${e instanceof Error ? e.message : String(e)}`);
      }
      const uid = `c-new-${++created}`;
      collections.set(uid, { server: doc, working: null, savedAtMs: null, workspace, updatedAt: new Date(FAKE_NOW).toISOString() });
      return { id: uid.slice(2), uid, name: doc.info.name };
    }),
    duplicateCollection: vi.fn(async (uid: string, workspace: string | null): Promise<Created> => {
      const d = collection(uid);
      const doc = clone(d.working ?? d.server);
      doc.info.name = `${doc.info.name} (copy)`;
      const copy = `c-copy-${++created}`;
      collections.set(copy, { server: doc, working: null, savedAtMs: null, workspace, updatedAt: new Date(FAKE_NOW).toISOString() });
      return { id: copy.slice(2), uid: copy, name: doc.info.name };
    }),
    exportCollection: vi.fn(async (uid: string) => `/home/u/Downloads/${collection(uid).server.info.name}.postman_collection.json`),
    deleteCollection: vi.fn(async (uid: string, confirmName: string) => {
      if (collection(uid).server.info.name !== confirmName) fail('library.confirmMismatch', 'The name typed is not the name of the collection.');
      collections.delete(uid);
      return null;
    }),
    environments: vi.fn(async (workspace: string | null, _force: boolean): Promise<EnvironmentRow[]> =>
      [...environments].filter(([, d]) => inWorkspace(d, workspace)).map(([id, d]) => ({
        id, uid: `12345678-${id}`, name: d.server.name, owner: '12345678', updatedAt: d.updatedAt, hasDraft: d.savedAtMs !== null,
      })),
    ),
    openEnvironment: vi.fn(async (id: string, _force: boolean) => {
      const d = environment(id);
      d.working ??= clone(d.server);
      return environmentView(id);
    }),
    editEnvironment: vi.fn(async (id: string, name: string, values: EnvVariable[]) => {
      const d = environment(id);
      working(d, 'environment');
      store(d, { name: name.trim() || fail('library.invalid', 'An environment needs a name.'), values: clone(values) });
      return environmentView(id);
    }),
    createEnvironment: vi.fn(async (workspace: string | null, name: string | null, importText: string | null): Promise<Created> => {
      let env: FakeEnv;
      try {
        env = importText === null ? { name: cleanName(name ?? '', 'environment'), values: [] } : (JSON.parse(importText) as FakeEnv);
        if (typeof env.name !== 'string') throw new Error('name must be a string');
      } catch (e) {
        return fail('library.invalidImport', `This is not a Postman environment: ${e instanceof Error ? e.message : String(e)}`);
      }
      const id = `e-new-${++created}`;
      environments.set(id, { server: { name: env.name, values: env.values ?? [] }, working: null, savedAtMs: null, workspace, updatedAt: new Date(FAKE_NOW).toISOString() });
      return { id, uid: `12345678-${id}`, name: env.name };
    }),
    exportEnvironment: vi.fn(async (id: string) => `/home/u/Downloads/${environment(id).server.name}.postman_environment.json`),
    deleteEnvironment: vi.fn(async (id: string, confirmName: string) => {
      if (environment(id).server.name !== confirmName) fail('library.confirmMismatch', 'The name typed is not the name of the environment.');
      environments.delete(id);
      return null;
    }),
    save: vi.fn(async (kind: DraftKind, id: string, _overwrite: boolean): Promise<SaveOutcome> => {
      const d = docOf(kind, id);
      progress?.({ kind, id, progress: { stage: 'checking' } });
      if (d.savedAtMs === null || d.working === null) return { outcome: 'saved', method: 'unchanged', updatedAt: d.updatedAt };
      progress?.({ kind, id, progress: { stage: 'sending', method: 'patch', bytes: JSON.stringify(d.working).length } });
      (d as Doc<unknown>).server = clone(d.working);
      d.savedAtMs = null;
      d.updatedAt = new Date(FAKE_NOW).toISOString();
      progress?.({ kind, id, progress: { stage: 'confirming' } });
      return { outcome: 'saved', method: 'patch', updatedAt: d.updatedAt };
    }),
    discard: vi.fn(async (kind: DraftKind, id: string) => {
      const d = docOf(kind, id);
      d.working = null;
      d.savedAtMs = null;
      return null;
    }),
    close: vi.fn(async (kind: DraftKind, id: string) => {
      const d = docOf(kind, id);
      if (d.savedAtMs === null) d.working = null;
      return null;
    }),
    onSaveProgress: vi.fn(async (handler: (e: SaveProgressEvent) => void) => {
      progress = handler;
      return () => (progress = null);
    }),
  };
  return { commands, collections, environments, emitSaveProgress: (e: SaveProgressEvent) => progress?.(e) };
}

// ---- sharing: collection access keys, paged like the Rust side, tokens never leave the fake ----

const DAY_MS = 86_400_000;

/** An access key row; `daysLeft` (a bigint in the bindings) is derived from `expiresAt` unless given. */
export function accessKeyRow(over: Partial<AccessKeyRow> = {}): AccessKeyRow {
  return {
    id: 'ak-1',
    collectionUid: 'c-1',
    collectionName: 'Billing API',
    masked: 'PMAT-…43BR',
    createdBy: '12345678',
    createdAt: '2026-11-01T10:00:00.000Z',
    expiresAt: null,
    daysLeft: null,
    lastUsedAt: null,
    status: 'active',
    kept: false,
    ...over,
  };
}

/** A key expiring `days` from now (negative: expired), with the status Rust would give it. */
export function keyExpiringIn(days: number, over: Partial<AccessKeyRow> = {}): AccessKeyRow {
  return accessKeyRow({
    expiresAt: new Date(FAKE_NOW + days * DAY_MS + 3_600_000).toISOString(),
    daysLeft: days,
    status: days < 0 ? 'expired' : days <= 7 ? 'expiring' : 'active',
    ...over,
  });
}

const maskToken = (token: string) => `PMAT-…${token.slice(-4)}`;
const textsOf = (uid: string, masked: string): ShareTexts => ({
  linkMasked: `https://api.postman.com/collections/${uid}?access_key=${masked}`,
  newmanMasked: `newman run "https://api.postman.com/collections/${uid}?access_key=${masked}"`,
  curlMasked: `curl "https://api.postman.com/collections/${uid}?access_key=${masked}"`,
});

/**
 * The sharing commands over an in-memory list of keys: `pageSize` keys a page, cursors `p<n>`.
 * `failRevoke` maps ids to the error their revoke fails with; `clipboard` records what Rust would copy
 * (the real text, with the token, which the UI never receives).
 */
export function fakeSharing(initial: AccessKeyRow[] = [], pageSize = 50) {
  const state = {
    keys: initial.map((k) => ({ ...k })),
    tokens: new Map<string, string>(),
    failRevoke: new Map<string, string>(),
    clipboard: [] as string[],
    pageSize,
  };
  let progress: ((e: RevokeProgress) => void) | null = null;
  let minted = 0;
  let sandboxTokens = 0;
  const names: Record<string, string> = { 'c-1': 'Billing API', 'c-2': 'Accounts' };

  function share(uid: string, token: string): ShareView {
    const id = `ak-new-${++minted}`;
    const key = accessKeyRow({
      id, collectionUid: uid, collectionName: names[uid] ?? null, masked: maskToken(token),
      createdAt: new Date(FAKE_NOW).toISOString(), expiresAt: new Date(FAKE_NOW + 60 * DAY_MS).toISOString(), daysLeft: 60, kept: true,
    });
    state.keys.unshift(key);
    state.tokens.set(id, token);
    return { key: { ...key }, texts: textsOf(uid, key.masked) };
  }
  const kept = (keyId: string) =>
    state.tokens.get(keyId) ?? fail('sharing.notKept', 'Postdesk does not keep the token of this key: Postman shows it only once.');

  const commands = {
    accessKeys: vi.fn(async (collection: string | null, cursor: string | null, _force: boolean): Promise<AccessKeyPageView> => {
      const all = state.keys.filter((k) => collection === null || k.collectionUid === collection);
      const start = cursor === null ? 0 : Number(cursor.slice(1));
      const end = start + state.pageSize;
      return { rows: all.slice(start, end).map((k) => ({ ...k })), nextCursor: end < all.length ? `p${end}` : null };
    }),
    revokeAccessKeys: vi.fn(async (ids: string[]): Promise<RevokeResult[]> => {
      const results: RevokeResult[] = [];
      for (const id of ids) {
        await Promise.resolve();
        const key = state.keys.find((k) => k.id === id);
        const error = state.failRevoke.get(id) ?? (key ? null : 'That access key no longer exists.');
        if (error === null && key) {
          key.status = 'inactive';
          state.tokens.delete(id);
          key.kept = false;
        }
        const r = { id, ok: error === null, error };
        results.push(r);
        progress?.({ done: results.length, total: ids.length, last: r });
      }
      return results;
    }),
    addAccessToken: vi.fn(async (uid: string, token: string): Promise<ShareView> => {
      const t = token.trim();
      if (!/^PMAT-[A-Za-z0-9]{20,}$/.test(t)) fail('sharing.badToken', 'That is not a collection access key (PMAT-…).');
      return share(uid, t);
    }),
    mintAccessKey: vi.fn(async (uid: string): Promise<ShareView> => share(uid, `PMAT-SANDBOX${String(++sandboxTokens).padStart(14, '0')}ZX9Q`)),
    shareTexts: vi.fn(async (keyId: string, uid: string): Promise<ShareTexts> => {
      kept(keyId);
      const key = state.keys.find((k) => k.id === keyId) ?? fail('sharing.notListed', 'That access key is not listed.');
      return textsOf(uid, key.masked);
    }),
    copyShare: vi.fn(async (keyId: string, uid: string, what: ShareText) => {
      const link = `https://api.postman.com/collections/${uid}?access_key=${kept(keyId)}`;
      state.clipboard.push(what === 'link' ? link : what === 'newman' ? `newman run "${link}"` : `curl "${link}"`);
      return null;
    }),
    openInPostman: vi.fn(async (_uid: string) => null),
    onRevokeProgress: vi.fn(async (handler: (e: RevokeProgress) => void) => {
      progress = handler;
      return () => (progress = null);
    }),
  };
  return { commands, state, emitRevokeProgress: (e: RevokeProgress) => progress?.(e) };
}
