// Pure helpers for the Keys view (unit-tested).
import { SECRET_FORMATS } from '../bindings/Commands';
import type { Reminder } from '../bindings/Reminder';
import type { SecretFormatView } from '../bindings/SecretFormatView';

/** What people wrap around a paste (as Rust trims it): whitespace, quotes, zero-width spaces. */
const WRAPPING = /^[\s"'`\u201C\u201D\u2018\u2019\u200B\uFEFF]+|[\s"'`\u201C\u201D\u2018\u2019\u200B\uFEFF]+$/g;

const ALPHABETS: Record<string, RegExp> = {
  hex: /^[0-9a-f-]*$/,
  base32: /^[0-9A-HJKMNP-TV-Z-]*$/,
};

/** A well-formed secret's length: the prefix, the groups and the dashes between them. */
export function secretLength(format: SecretFormatView): number {
  return format.prefix.length + format.groups.reduce((a, b) => a + b, 0) + format.groups.length - 1;
}

/**
 * A hint while the paste is typed: why Rust will refuse it, in short, with the formats Rust
 * checks with (SECRET_FORMATS); null when it looks right or the field is empty. It only ever
 * flags what Rust refuses too; Rust's sentence (`keys.format`) stays the authority.
 */
export function pasteHint(raw: string, format: SecretFormatView = SECRET_FORMATS.apiKey): string | null {
  const s = raw.replace(WRAPPING, '');
  if (s === '') return null;
  if (s.length > format.maxPaste) return `That is far longer than a ${format.name}.`;
  const head = s.slice(0, format.prefix.length);
  for (const other of [SECRET_FORMATS.apiKey, SECRET_FORMATS.accessToken]) {
    if (other.prefix !== format.prefix && head.toUpperCase() === other.prefix) {
      return `That is a ${other.name} (${other.prefix}…). Paste a ${format.name} (${format.prefix}…).`;
    }
  }
  if (head.toUpperCase() !== format.prefix) {
    return s.includes(format.prefix)
      ? `Paste only the key itself, starting with ${format.prefix}.`
      : `A ${format.name} starts with ${format.prefix}.`;
  }
  if (head !== format.prefix) return `A ${format.name} starts with ${format.prefix} in capital letters.`;
  const rest = s.slice(format.prefix.length);
  if (/\s/.test(rest)) return `A ${format.name} has no spaces or line breaks.`;
  if (!(ALPHABETS[format.alphabet] ?? /^/).test(rest)) return `That has characters a ${format.name} never has.`;
  const groups = rest.split('-').map((g) => g.length);
  if (groups.join() !== format.groups.join()) {
    const want = secretLength(format);
    return s.length < want
      ? `This is incomplete: a ${format.name} has ${want} characters, this has ${s.length}.`
      : `This is too long: a ${format.name} has ${want} characters, this has ${s.length}.`;
  }
  return null;
}

export function daysLeftText(daysLeft: number | null): string {
  if (daysLeft === null) return 'No expiry';
  if (daysLeft < 0) return `Expired ${-daysLeft} day${daysLeft === -1 ? '' : 's'} ago`;
  if (daysLeft === 0) return 'Expires today';
  return `${daysLeft} day${daysLeft === 1 ? '' : 's'} left`;
}

export const STATUS_TEXT: Record<string, string> = {
  valid: 'Valid',
  invalid: 'Invalid or revoked',
  unverified: 'Unverified',
  expired: 'Expired',
};

/** The banner of an expiry reminder: Rust says how many days are left (the app's clock). */
export function reminderText(r: Pick<Reminder, 'name' | 'daysLeft' | 'expiresOn'>): string {
  const left = r.daysLeft;
  const when = left < 0 ? 'has expired' : left === 0 ? 'expires today' : `expires in ${left} day${left === 1 ? '' : 's'}`;
  return `Your API key "${r.name}" ${when} (${r.expiresOn}). Rotate it before it stops working.`;
}
