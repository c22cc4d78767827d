// The UI's one clock: the only place the webview reads the time. Dates and "days left" come from
// Rust (the app's clock); the UI only measures how long ago a snapshot arrived, to count the
// meters down between two events. Tests drive it with `vi.useFakeTimers()`.

export interface Clock {
  /** Milliseconds; only differences between two readings mean anything. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
