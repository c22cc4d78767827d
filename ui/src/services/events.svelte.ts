// Events from Rust as typed stores: each holds the last payload of its event, when it arrived
// (on the UI's clock) and how many arrived. Views react to them ($derived / $effect) instead of
// subscribing themselves; `mark()`/`since()` tell the events of one operation from older ones.
import type { EventMap, EventName } from '../bindings/Commands';
import type { Meters } from '../bindings/Meters';
import type { Clock } from '../lib/clock';
import type { Listen } from '../platform/client';

export class EventStore<E extends EventName> {
  /** The last payload; null before the first. Raw: replaced, never mutated. */
  last: EventMap[E] | null = $state.raw(null);
  /** How many arrived (moves even when a payload equals the one before). */
  seq = $state(0);
  /** The clock's reading when the last one arrived. */
  at = $state(0);
  /** Resolves once Rust's events reach this store. */
  readonly ready: Promise<void>;
  protected readonly clock: Clock;
  #stop: (() => void) | null = null;
  readonly #keyOf: ((payload: EventMap[E]) => string) | null;
  /** With `keyOf`: the last payload of each key, and its `seq`. */
  #byKey: ReadonlyMap<string, { payload: EventMap[E]; seq: number }> = $state.raw(new Map());

  /** `keyOf`: what a payload is about (e.g. which document), for `lastFor`. */
  constructor(event: E, listen: Listen, clock: Clock, keyOf?: (payload: EventMap[E]) => string) {
    this.clock = clock;
    this.#keyOf = keyOf ?? null;
    this.ready = listen(event, (payload) => this.receive(payload)).then(
      (stop) => void (this.#stop = stop),
      () => {},
    );
  }

  protected receive(payload: EventMap[E]): void {
    this.last = payload;
    this.at = this.clock.now();
    this.seq += 1;
    if (this.#keyOf) this.#byKey = new Map(this.#byKey).set(this.#keyOf(payload), { payload, seq: this.seq });
  }

  /** Where the stream is now: pass it to `since` to see only what arrives later. */
  mark(): number {
    return this.seq;
  }

  /** The last payload if it arrived after `mark`, else null. */
  since(mark: number): EventMap[E] | null {
    return this.seq > mark ? this.last : null;
  }

  /** The last payload about `key` (see `keyOf`) that arrived after `mark`, else null. */
  lastFor(key: string, mark: number): EventMap[E] | null {
    const last = this.#byKey.get(key);
    return last && last.seq > mark ? last.payload : null;
  }

  stop(): void {
    this.#stop?.();
    this.#stop = null;
  }
}

export const NO_METERS: Meters = {
  rateLimit: 0,
  rateRemaining: 0,
  rateResetInMs: null,
  waitingMs: null,
  queued: 0,
  monthLimit: null,
  monthRemaining: null,
  quotaBlocked: false,
};

/** The header meters: the last `meters` event, or the snapshot read at start before any came. */
export class MetersStore extends EventStore<'meters'> {
  #seeded: Meters | null = $state.raw(null);
  #seededAt = $state(0);

  get meters(): Meters {
    return this.last ?? this.#seeded ?? NO_METERS;
  }

  /** When the meters shown arrived: their countdowns run from then. */
  get arrivedAt(): number {
    return this.last ? this.at : this.#seededAt;
  }

  /** The snapshot of `engine_meters`, unless an event already brought newer meters. */
  seed(snapshot: Meters): void {
    if (this.seq > 0) return;
    this.#seeded = snapshot;
    this.#seededAt = this.clock.now();
  }
}
