// In-memory stand-ins for the platform commands, for unit tests (the real ones need Tauri).
import { vi } from 'vitest';
import type { Commands } from './platform';
import type { AppInfo } from './bindings/AppInfo';
import type { Meters } from './bindings/Meters';
import type { UsageSummary } from './bindings/UsageSummary';
import type { ActivityRow } from './bindings/ActivityRow';

export const appInfo: AppInfo = {
  name: 'Postdesk',
  version: '9.8.7',
  dataDir: '/home/u/.local/share/dev.postdesk.desktop',
  platform: 'linux',
  sandbox: { url: 'http://127.0.0.1:40123', error: null },
  keychain: { backend: 'Secret Service', available: true, error: null },
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
    activeKey: vi.fn(async () => ({ name: 'Sandbox (taylor-lee)', region: 'sandbox', masked: 'PMAK-…ab12' })),
    meters: vi.fn(async () => noMeters),
    usage: vi.fn(async () => usage),
    activity: vi.fn(async () => [row()]),
    exportActivity: vi.fn(async () => '/home/u/Downloads/postdesk-activity.csv'),
    onMeters: vi.fn(async (handler: (m: Meters) => void) => {
      listener = handler;
      return () => (listener = null);
    }),
    ...over,
  } satisfies Commands;
  return { commands, emitMeters: (m: Meters) => listener?.(m) };
}
