// Pure helpers for comparing two JSON values and showing them line by line.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Difference {
  /** `$`, `$.info.name`, `$.item[3]`, `$["a key"]`. */
  path: string;
  kind: 'changed' | 'added' | 'removed';
  mine?: Json;
  theirs?: Json;
}

const has = Object.prototype.hasOwnProperty;
const isObject = (v: unknown): v is { [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/** True when `path` is `ancestor` or lies inside it. */
export function within(path: string, ancestor: string): boolean {
  return path === ancestor || (path.startsWith(ancestor) && (path[ancestor.length] === '.' || path[ancestor.length] === '['));
}

/**
 * The smallest paths where `theirs` differs from `mine`: "added" exists only in theirs, "removed" only in mine.
 * Arrays are compared position by position; key order in objects does not matter.
 */
export function diffJson(mine: Json, theirs: Json): Difference[] {
  const out: Difference[] = [];
  const stack: { a: Json; b: Json; path: string }[] = [{ a: mine, b: theirs, path: '$' }];
  while (stack.length) {
    const { a, b, path } = stack.pop()!;
    if (Array.isArray(a) && Array.isArray(b)) {
      for (let i = Math.max(a.length, b.length) - 1; i >= 0; i--) {
        const p = childPath(path, i);
        if (i >= a.length) out.push({ path: p, kind: 'added', theirs: b[i]! });
        else if (i >= b.length) out.push({ path: p, kind: 'removed', mine: a[i]! });
        else stack.push({ a: a[i]!, b: b[i]!, path: p });
      }
    } else if (isObject(a) && isObject(b)) {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].reverse();
      for (const k of keys) {
        const p = childPath(path, k);
        const inA = has.call(a, k);
        const inB = has.call(b, k);
        if (!inA) out.push({ path: p, kind: 'added', theirs: b[k]! });
        else if (!inB) out.push({ path: p, kind: 'removed', mine: a[k]! });
        else stack.push({ a: a[k]!, b: b[k]!, path: p });
      }
    } else if (!Object.is(a, b)) {
      out.push({ path, kind: 'changed', mine: a, theirs: b });
    }
  }
  return out.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}

export interface JsonLine {
  path: string;
  depth: number;
  text: string;
}

/** Pretty-printed lines (2-space indent, like JSON.stringify(v, null, 2)), each tagged with the path it shows. */
export function jsonLines(value: Json): JsonLine[] {
  const out: JsonLine[] = [];
  const walk = (v: Json, path: string, depth: number, prefix: string, comma: string) => {
    if (Array.isArray(v) || isObject(v)) {
      const entries: [string | number, Json][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
      const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
      if (entries.length === 0) {
        out.push({ path, depth, text: `${prefix}${open}${close}${comma}` });
        return;
      }
      out.push({ path, depth, text: `${prefix}${open}` });
      entries.forEach(([k, x], i) =>
        walk(x, childPath(path, k), depth + 1, typeof k === 'number' ? '' : `${JSON.stringify(k)}: `, i < entries.length - 1 ? ',' : ''),
      );
      out.push({ path, depth, text: `${close}${comma}` });
    } else {
      out.push({ path, depth, text: `${prefix}${JSON.stringify(v)}${comma}` });
    }
  };
  walk(value, '$', 0, '', '');
  return out;
}
