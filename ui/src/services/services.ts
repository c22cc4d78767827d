// The UI's services, made once at the root (main.ts) and provided through typed context: the
// client, the clock, the preferences, the event stores and the app's updates. Components take
// them with `use…()`; nothing passes them down as props.
import type { Clock } from '../lib/clock';
import type { Api, Invoke, Listen } from '../platform/client';
import { createApi } from '../platform/client';
import { createContext } from './context';
import { EventStore, MetersStore } from './events.svelte';
import { PrefsService } from './prefs.svelte';
import { UpdateService } from './updates.svelte';
import { Navigation } from './navigation.svelte';
import type { DraftKind } from '../bindings/DraftKind';

/** The key of a document's save progress in the `save-progress` store. */
export const documentKey = (kind: DraftKind, id: string): string => `${kind}:${id}`;
const saveProgressKey = (e: { kind: DraftKind; id: string }) => documentKey(e.kind, e.id);

export interface Services {
  api: Api;
  clock: Clock;
  prefs: PrefsService;
  meters: MetersStore;
  saveProgress: EventStore<'save-progress'>;
  revokeProgress: EventStore<'revoke-progress'>;
  updates: UpdateService;
  navigation: Navigation;
}

/** What the services are built over: Tauri in the app, the recorded fake in tests. */
export interface Platform {
  invoke: Invoke;
  listen: Listen;
  clock: Clock;
}

export function createServices({ invoke, listen, clock }: Platform): Services {
  const api = createApi(invoke);
  return {
    api,
    clock,
    prefs: new PrefsService(api),
    meters: new MetersStore('meters', listen, clock),
    saveProgress: new EventStore('save-progress', listen, clock, saveProgressKey),
    revokeProgress: new EventStore('revoke-progress', listen, clock),
    updates: new UpdateService(api, new EventStore('update-progress', listen, clock)),
    navigation: new Navigation(),
  };
}

const contexts = {
  api: createContext<Api>('Api'),
  clock: createContext<Clock>('Clock'),
  prefs: createContext<PrefsService>('PrefsService'),
  meters: createContext<MetersStore>('MetersStore'),
  saveProgress: createContext<EventStore<'save-progress'>>('save-progress store'),
  revokeProgress: createContext<EventStore<'revoke-progress'>>('revoke-progress store'),
  updates: createContext<UpdateService>('UpdateService'),
  navigation: createContext<Navigation>('Navigation'),
} satisfies { [K in keyof Services]: unknown };

/** The context for `mount(App, { context })`: every service under its key. */
export function servicesContext(services: Services): Map<symbol, unknown> {
  return new Map<symbol, unknown>([
    contexts.api.entry(services.api),
    contexts.clock.entry(services.clock),
    contexts.prefs.entry(services.prefs),
    contexts.meters.entry(services.meters),
    contexts.saveProgress.entry(services.saveProgress),
    contexts.revokeProgress.entry(services.revokeProgress),
    contexts.updates.entry(services.updates),
    contexts.navigation.entry(services.navigation),
  ]);
}

export const useApi = (): Api => contexts.api.get();
export const useClock = (): Clock => contexts.clock.get();
export const usePrefs = (): PrefsService => contexts.prefs.get();
export const useMeters = (): MetersStore => contexts.meters.get();
export const useSaveProgress = (): EventStore<'save-progress'> => contexts.saveProgress.get();
export const useRevokeProgress = (): EventStore<'revoke-progress'> => contexts.revokeProgress.get();
export const useUpdates = (): UpdateService => contexts.updates.get();
export const useNavigation = (): Navigation => contexts.navigation.get();
