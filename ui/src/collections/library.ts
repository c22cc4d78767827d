// Pure helpers shared by the Collections and Environments views.

import { fmtBytes } from '../lib/format';
import type { DraftError } from '../bindings/DraftError';
import type { DraftInfo } from '../bindings/DraftInfo';
import type { DraftKind } from '../bindings/DraftKind';
import type { RequestHeader } from '../bindings/RequestHeader';
import type { SaveMethod } from '../bindings/SaveMethod';
import type { SaveProgress } from '../bindings/SaveProgress';

/** Largest file Postdesk offers to import (Postman refuses bigger bodies with 413). */
export const IMPORT_MAX_BYTES = 30 * 1024 * 1024;
/** Above this size the raw JSON editor may be slow. */
export const RAW_SLOW_BYTES = 5 * 1024 * 1024;

/** Size of a text as UTF-8, the way it reaches Postman. */
export function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** Why a file or pasted text of `bytes` cannot be imported; null when it may be. */
export function importTooLarge(bytes: number): string | null {
  return bytes > IMPORT_MAX_BYTES
    ? `This file is ${fmtBytes(bytes)}; Postman accepts at most ${fmtBytes(IMPORT_MAX_BYTES)}. Nothing was sent.`
    : null;
}

/** The text of a save stage, for the progress line. */
export function progressText(p: SaveProgress): string {
  switch (p.stage) {
    case 'checking':
      return 'Checking the server version…';
    case 'sending':
      return `Sending ${fmtBytes(p.bytes)} (${methodText(p.method)})…`;
    case 'waiting':
      return `Waiting for Postman to finish (${Math.round(p.elapsedMs / 1000)} s, check ${p.polls})…`;
    case 'confirming':
      return 'Confirming…';
  }
}

/** 1–4, for a progress bar of four steps. */
export function progressStep(p: SaveProgress): number {
  return { checking: 1, sending: 2, waiting: 3, confirming: 4 }[p.stage];
}

export function methodText(m: SaveMethod): string {
  return {
    unchanged: 'nothing to change',
    alreadyThere: 'the server already had it: the earlier attempt went through',
    patch: 'partial update',
    put: 'full update',
    putAsync: 'full update in the background',
  }[m];
}

/** What the status line says after a save. */
export function savedText(name: string, m: SaveMethod): string {
  return m === 'unchanged' ? `"${name}" had no changes to save.` : `Saved "${name}" (${methodText(m)}).`;
}

/** `line 3, column 7 — item[0].name: expected a string` (no path part for the whole document). */
export function errorText(e: DraftError): string {
  return `line ${e.line}, column ${e.column} — ${e.path ? `${e.path}: ` : ''}${e.message}`;
}

/** The message of a failed command, meant for people (AppError's message is shown as is). */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The drafts of one kind, oldest edit first. */
export function draftsOfKind(drafts: readonly DraftInfo[], kind: DraftKind): DraftInfo[] {
  return drafts.filter((d) => d.kind === kind).sort((a, b) => a.savedAtMs - b.savedAtMs);
}


/** What the request editor applies (a `setRequest` edit without its path). */
export interface RequestChange {
  method: string;
  url: string;
  headers: RequestHeader[];
  /** null: leave the body alone; "": remove it. */
  rawBody: string | null;
}
