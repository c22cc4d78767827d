// The typed client, made at the type level from the generated contract (bindings/Commands.ts):
// one method per command, named in camelCase (`keys_add` → `api.keysAdd({ request })`), taking
// exactly the arguments Tauri's `invoke` takes and resolving to the command's result. It is
// built at run time from COMMAND_NAMES over any `invoke` (Tauri's in the app, a fake answering
// recorded exchanges in tests): there is no hand-written wrapper per command.
import { COMMAND_NAMES, type CommandMap, type CommandName, type EventMap, type EventName } from '../bindings/Commands';
import type { ErrorCode } from '../bindings/ErrorCode';
import type { IpcError } from '../bindings/IpcError';

/** `library_open_collection` → `libraryOpenCollection`. */
export type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;

export type Args<K extends CommandName> = CommandMap[K]['args'];
export type Result<K extends CommandName> = CommandMap[K]['result'];

/** A command without arguments may be called without any. */
type Params<A> = {} extends A ? [args?: A] : [args: A];

export type Api = {
  readonly [K in CommandName as CamelCase<K>]: (...args: Params<Args<K>>) => Promise<Result<K>>;
};

/** What the client is built over: Tauri's `invoke`, typed by the contract. */
export type Invoke = <K extends CommandName>(command: K, args: Args<K>) => Promise<Result<K>>;

/** Subscribes to an event Rust sends; resolves to the function that unsubscribes. */
export type Listen = <E extends EventName>(event: E, handler: (payload: EventMap[E]) => void) => Promise<() => void>;

/** An error from a Postdesk command, as `{code, message}`; the message is meant for people. */
export class AppError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
  }
}

function isIpcError(value: unknown): value is IpcError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as IpcError).code === 'string' &&
    typeof (value as IpcError).message === 'string'
  );
}

/** Normalises whatever a failed invoke rejected with into an AppError (`ipc.failed` when it was no IpcError). */
export function toAppError(raw: unknown): AppError {
  if (raw instanceof AppError) return raw;
  if (isIpcError(raw)) return new AppError(raw.code, raw.message);
  const text = raw instanceof Error ? raw.message : typeof raw === 'string' ? raw : 'unknown error';
  return new AppError('ipc.failed', `Postdesk could not reach its core: ${text}`);
}

/** The run-time twin of CamelCase. */
export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The client over `invoke`: every command of COMMAND_NAMES, every failure an AppError. */
export function createApi(invoke: Invoke): Api {
  const api: Record<string, (args?: object) => Promise<unknown>> = {};
  for (const name of COMMAND_NAMES) {
    api[camelCase(name)] = async (args = {}) => {
      try {
        return await invoke(name, args as Args<typeof name>);
      } catch (raw) {
        throw toAppError(raw);
      }
    };
  }
  return Object.freeze(api) as unknown as Api;
}
