// The shape of ui/src/fixtures/recorded.ts, which the Rust integration tests generate
// (`POSTDESK_UPDATE_FIXTURES=1 cargo test -p postdesk-core --test core`): every command they
// ran, with its arguments and Rust's answer or error, by scenario; and the events Rust sent.
// The types make an invented command, argument, answer or error code a compile error there.
import type { CommandMap, CommandName, EventMap, EventName } from '../bindings/Commands';
import type { IpcError } from '../bindings/IpcError';

/** One command as the recorder ran it: its arguments, then Rust's answer or its error. */
export type Exchange = {
  [K in CommandName]: { scenario: string; command: K; args: CommandMap[K]['args'] } & (
    | { ok: CommandMap[K]['result'] }
    | { err: IpcError }
  );
}[CommandName];

export type Recording = readonly Exchange[];

/** One event Rust sent during a scenario (recorded.ts exports them as `recordedEvents`). */
export type Emitted = {
  [E in EventName]: { scenario: string; event: E; payload: EventMap[E] };
}[EventName];

export type ExchangeOf<K extends CommandName> = Extract<Exchange, { command: K }>;
export type EmittedOf<E extends EventName> = Extract<Emitted, { event: E }>;
