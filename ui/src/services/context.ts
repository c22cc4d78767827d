// Typed Svelte context: a getter/setter pair under a unique symbol (after GitButler's
// packages/core/src/context.ts). `get` throws a clear error when nothing provided the value.
import { getContext, hasContext, setContext } from 'svelte';

export interface Context<T> {
  readonly name: string;
  readonly key: symbol;
  /** The value provided by an ancestor (call during component initialisation). */
  get(): T;
  /** Provides the value to the descendants (call during component initialisation). */
  set(value: T): T;
  /** The entry for `mount(…, { context })`: provides the value from outside any component. */
  entry(value: T): [symbol, T];
}

export function createContext<T>(name: string): Context<T> {
  const key = Symbol(name);
  return {
    name,
    key,
    get() {
      if (!hasContext(key)) {
        throw new Error(`Postdesk: no ${name} in the component context. Provide the services at the root (main.ts), or render with testing/render.ts.`);
      }
      return getContext<T>(key);
    },
    set: (value) => setContext(key, value),
    entry: (value) => [key, value],
  };
}
