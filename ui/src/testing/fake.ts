// A fake `invoke` for unit tests that answers ONLY from the exchanges the Rust integration tests
// recorded (fixtures/recorded.ts). A call of command K answers, in this order of preference:
//   1. in the chosen scenario, the next recorded exchange of K sent with the same arguments;
//   2. in the chosen scenario, the next recorded exchange of K (the recorder's order);
//   3. without a scenario, or when it never ran K: a recorded answer (`ok`) of K sent with the same
//      arguments;
//   4. else the first recorded answer (`ok`) of K.
// So a recorded error answers only a test that chose it: by its scenario, or by an override.
// Once used up, the last one answers again. A recorded error rejects with an AppError of its code
// and message. A command nothing recorded answers fails the test (see test-setup.ts).
//
// Tests may choose WHICH recorded exchange answers (`overrides`), WHEN (`hold`), and feed the
// recorded events (`emit`); they cannot make up an answer, an error or an event.
import type { CommandName, EventMap, EventName } from '../bindings/Commands';
import { AppError, createApi, type Api, type Args, type Invoke, type Listen, type Result } from '../platform/client';
import { checkScenario, events, exchanges } from './recorded';
import type { EmittedOf, ExchangeOf } from './recording';

/** Where an answer comes from: a scenario (its exchanges of the command, in order), or the first recorded exchange matching. */
export type Source<K extends CommandName> = string | ((exchange: ExchangeOf<K>) => boolean);

/** Per command: one source, or one per call (the last one answers the later calls). */
export type Overrides = { [K in CommandName]?: Source<K> | readonly Source<K>[] };

export interface FakeOptions {
  scenario?: string;
  overrides?: Overrides;
}

export type Call = { [K in CommandName]: { command: K; args: Args<K> } }[CommandName];

/** What the UI sent, in order. */
export class CallLog {
  readonly all: Call[] = [];

  /** The arguments of every call of `command`, in order. */
  of<K extends CommandName>(command: K): Args<K>[] {
    return this.all.filter((c): c is Extract<Call, { command: K }> => c.command === command).map((c) => c.args as Args<K>);
  }

  count(command: CommandName): number {
    return this.of(command).length;
  }

  /** The commands called, in order (`commands('library_')`: only those starting so). */
  commands(prefix = ''): CommandName[] {
    return this.all.map((c) => c.command).filter((c) => c.startsWith(prefix));
  }
}

// Calls no recording answered, collected for test-setup.ts, which fails the test with them
// (the UI may swallow the rejection; the test must not pass anyway).
const unanswered: string[] = [];
export function takeUnanswered(): string[] {
  return unanswered.splice(0);
}

const isList = <T>(v: T | readonly T[]): v is readonly T[] => Array.isArray(v);

/** JSON with sorted keys: arguments compare equal whatever the order of their keys. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

export interface Fake {
  api: Api;
  invoke: Invoke;
  listen: Listen;
  calls: CallLog;
  /** Sends the next recorded `event` of the scenario (or of `from`); returns its payload. */
  emit<E extends EventName>(event: E, from?: { scenario?: string; n?: number }): EventMap[E];
  /** Holds the answers of `command` until `release()` (its calls are logged meanwhile). */
  hold(command: CommandName): { release(): void };
}

export function fakeApi(options: FakeOptions = {}): Fake {
  const scenario = options.scenario === undefined ? undefined : checkScenario(options.scenario);
  for (const sources of Object.values(options.overrides ?? {})) {
    for (const s of isList(sources) ? sources : [sources]) if (typeof s === 'string') checkScenario(s);
  }
  const calls = new CallLog();
  const made = new Map<CommandName, number>();
  const cursors = new Map<string, number>();
  const gates = new Map<CommandName, Promise<void>>();
  const listeners = new Map<EventName, Set<(payload: never) => void>>();

  /** The next of `list` for this cursor; the last one again once used up. */
  function next<T>(list: readonly T[], cursor: string): T | undefined {
    const i = cursors.get(cursor) ?? 0;
    cursors.set(cursor, i + 1);
    return list[Math.min(i, list.length - 1)];
  }

  /** Recorded exchanges already answered, per scenario and command. */
  const used = new Map<string, Set<number>>();
  /** The next unused exchange of `list` sent with `args`, else the next unused one, else the last (of those with `args` if any). */
  function nextFor<K extends CommandName>(list: readonly ExchangeOf<K>[], args: Args<K>, cursor: string): ExchangeOf<K> | undefined {
    const done = used.get(cursor) ?? new Set<number>();
    used.set(cursor, done);
    const wanted = canonical(args);
    const same = list.flatMap((e, i) => (canonical(e.args) === wanted ? [i] : []));
    const pool = same.length > 0 ? same : list.map((_, i) => i);
    const i = pool.find((n) => !done.has(n)) ?? pool[pool.length - 1];
    if (i === undefined) return undefined;
    done.add(i);
    return list[i];
  }

  function answerOf<K extends CommandName>(command: K, args: Args<K>): ExchangeOf<K> | string {
    const n = made.get(command) ?? 0;
    made.set(command, n + 1);
    const override = options.overrides?.[command] as Source<K> | readonly Source<K>[] | undefined;
    if (override !== undefined) {
      const list = isList(override) ? override : [override];
      const source = list[Math.min(n, list.length - 1)]!;
      if (typeof source === 'string') {
        return nextFor(exchanges(command, source), args, `${source}\u0000${command}`) ?? `${command}: scenario "${source}" never ran it`;
      }
      return exchanges(command).find(source) ?? `${command}: no recorded exchange matches the override ${String(source)}`;
    }
    if (scenario !== undefined) {
      const own = exchanges(command, scenario);
      if (own.length > 0) return nextFor(own, args, `${scenario}\u0000${command}`)!;
    }
    const wanted = canonical(args);
    const same = exchanges(command).filter((e) => 'ok' in e && canonical(e.args) === wanted);
    if (same.length > 0) return nextFor(same, args, `\u0000${command}`)!;
    return exchanges(command).find((e) => 'ok' in e) ?? `${command}: nothing recorded answers it`;
  }

  const invoke: Invoke = async <K extends CommandName>(command: K, args: Args<K>): Promise<Result<K>> => {
    calls.all.push({ command, args } as Call);
    const answer = answerOf(command, args);
    await (gates.get(command) ?? Promise.resolve());
    if (typeof answer === 'string') {
      const problem = `fakeApi: ${answer}${scenario ? ` (scenario "${scenario}")` : ''}. Ask for it to be recorded; do not invent it.`;
      unanswered.push(problem);
      throw new Error(problem);
    }
    if ('err' in answer) throw new AppError(answer.err.code, answer.err.message);
    return structuredClone(answer.ok) as Result<K>;
  };

  const listen: Listen = async (event, handler) => {
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    set.add(handler as (payload: never) => void);
    return () => void set.delete(handler as (payload: never) => void);
  };

  function emit<E extends EventName>(event: E, from: { scenario?: string; n?: number } = {}): EventMap[E] {
    const where = from.scenario ?? scenario;
    let list: EmittedOf<E>[] = where === undefined ? [] : events(event, where);
    if (list.length === 0) list = events(event);
    const picked = from.n === undefined ? next(list, `event\u0000${where}\u0000${event}`) : list[from.n];
    if (picked === undefined) throw new Error(`fakeApi: no recorded "${event}" event${where ? ` in "${where}"` : ''} to emit. Ask for it to be recorded.`);
    const payload = structuredClone(picked.payload) as EventMap[E];
    for (const handler of listeners.get(event) ?? []) (handler as (p: EventMap[E]) => void)(payload);
    return payload;
  }

  function hold(command: CommandName) {
    let release = () => {};
    gates.set(command, new Promise<void>((resolve) => (release = resolve)));
    return {
      release() {
        gates.delete(command);
        release();
      },
    };
  }

  return { api: createApi(invoke), invoke, listen, calls, emit, hold };
}
