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
  rateResetAt: null,
  waitingUntil: null,
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

/** Fake commands; `emitMeters` pushes a meters event to whoever listens. */
export function fakeCommands(over: Partial<Commands> = {}) {
  let listener: ((m: Meters) => void) | null = null;
  const commands = {
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
  return { commands, emitMeters: (m: Meters) => listener?.(m) };
}
