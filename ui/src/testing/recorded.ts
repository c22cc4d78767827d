// Reading the recording: what tests expect comes from here, never from literals of their own.
import type { CommandName, EventMap, EventName } from '../bindings/Commands';
import type { ErrorCode } from '../bindings/ErrorCode';
import type { IpcError } from '../bindings/IpcError';
import type { Args, Result } from '../platform/client';
import { recorded, recordedEvents } from '../fixtures/recorded';
import type { Emitted, EmittedOf, ExchangeOf, Recording } from './recording';

// recorded.ts checks each entry with `satisfies`; the array types TS infers from it are only
// normalised (absent keys become `?: undefined`), hence these two assertions.
export const RECORDING = recorded as Recording;
export const RECORDED_EVENTS = recordedEvents as readonly Emitted[];

export const SCENARIOS: ReadonlySet<string> = new Set([...RECORDING, ...RECORDED_EVENTS].map((r) => r.scenario));

/** Fails loudly on a scenario nobody recorded (a typo, or one still to ask for). */
export function checkScenario(scenario: string): string {
  if (!SCENARIOS.has(scenario)) {
    throw new Error(`No recorded scenario "${scenario}". Recorded: ${[...SCENARIOS].map((s) => JSON.stringify(s)).join(', ')}`);
  }
  return scenario;
}

/** The recorded exchanges of `command` (of one scenario when given), in order. */
export function exchanges<K extends CommandName>(command: K, scenario?: string): ExchangeOf<K>[] {
  if (scenario !== undefined) checkScenario(scenario);
  return RECORDING.filter(
    (r): r is ExchangeOf<K> => r.command === command && (scenario === undefined || r.scenario === scenario),
  );
}

/** The recorded events `event` (of one scenario when given), in order. */
export function events<E extends EventName>(event: E, scenario?: string): EmittedOf<E>[] {
  if (scenario !== undefined) checkScenario(scenario);
  return RECORDED_EVENTS.filter(
    (r): r is EmittedOf<E> => r.event === event && (scenario === undefined || r.scenario === scenario),
  );
}

function nth<T>(list: readonly T[], n: number, what: string): T {
  const found = n < 0 ? list[list.length + n] : list[n];
  if (found === undefined) throw new Error(`Not recorded: ${what} (${list.length} recorded).`);
  return found;
}

/** The `n`-th recorded answer of `command` in `scenario` (negative: from the end), cloned. */
export function okOf<K extends CommandName>(command: K, scenario?: string, n = 0): Result<K> {
  const oks = exchanges(command, scenario).filter((e) => 'ok' in e);
  const e = nth(oks, n, `an answer #${n} of ${command}${scenario ? ` in "${scenario}"` : ''}`);
  return structuredClone((e as { ok: Result<K> }).ok);
}

/** The first recorded answer of `command` that `match` selects (as an override with it would), cloned. */
export function okWhere<K extends CommandName>(command: K, match: (exchange: ExchangeOf<K>) => boolean): Result<K> {
  const e = exchanges(command).find((x) => 'ok' in x && match(x));
  if (e === undefined) throw new Error(`Not recorded: an answer of ${command} that ${String(match)} selects.`);
  return structuredClone((e as { ok: Result<K> }).ok);
}

/** The `n`-th recorded error of `command` in `scenario`. */
export function errOf<K extends CommandName>(command: K, scenario?: string, n = 0): IpcError {
  const errs = exchanges(command, scenario).filter((e) => 'err' in e);
  const e = nth(errs, n, `an error #${n} of ${command}${scenario ? ` in "${scenario}"` : ''}`);
  return { ...(e as { err: IpcError }).err };
}

/** The first recorded error `code` of `command`. */
export function errCoded<K extends CommandName>(command: K, code: ErrorCode): IpcError {
  const e = exchanges(command).find((x) => 'err' in x && x.err.code === code);
  if (!e || !('err' in e)) throw new Error(`Not recorded: ${command} failing with ${code}.`);
  return { ...e.err };
}

/** The arguments the recorder sent in the `n`-th exchange of `command` in `scenario`. */
export function argsOf<K extends CommandName>(command: K, scenario?: string, n = 0): Args<K> {
  return structuredClone(nth(exchanges(command, scenario), n, `exchange #${n} of ${command}`).args);
}

/** The `n`-th recorded payload of `event` in `scenario`. */
export function payloadOf<E extends EventName>(event: E, scenario?: string, n = 0): EventMap[E] {
  const e: Emitted = nth(events(event, scenario), n, `event #${n} ${event}${scenario ? ` in "${scenario}"` : ''}`);
  return structuredClone(e.payload) as EventMap[E];
}
