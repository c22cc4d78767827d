// Pure, immutable edits of an environment's variables: every function returns a new array.

export type VariableType = 'default' | 'secret';

export interface EnvVariable {
  key: string;
  value: string;
  type: VariableType;
  enabled: boolean;
  description: string;
}

/** Postman's limit on a variable's description. */
export const DESCRIPTION_MAX = 512;

export const emptyVariable = (): EnvVariable => ({ key: '', value: '', type: 'default', enabled: true, description: '' });

export function insertAt<T>(list: readonly T[], index: number, item: T): T[] {
  return [...list.slice(0, index), item, ...list.slice(index)];
}

export function removeAt<T>(list: readonly T[], index: number): T[] {
  return list.filter((_, i) => i !== index);
}

/** Swap the item at `index` with its neighbour `delta` away; out of range leaves a copy unchanged. */
export function moveBy<T>(list: readonly T[], index: number, delta: -1 | 1): T[] {
  const to = index + delta;
  const out = list.slice();
  if (index < 0 || index >= list.length || to < 0 || to >= list.length) return out;
  [out[index], out[to]] = [out[to]!, out[index]!];
  return out;
}

/** A copy with one field of one variable changed; descriptions are cut at DESCRIPTION_MAX characters. */
export function updateAt<K extends keyof EnvVariable>(list: readonly EnvVariable[], index: number, field: K, value: EnvVariable[K]): EnvVariable[] {
  const v = field === 'description' ? (String(value).slice(0, DESCRIPTION_MAX) as EnvVariable[K]) : value;
  return list.map((row, i) => (i === index ? { ...row, [field]: v } : row));
}
