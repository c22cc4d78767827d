// Pure helpers for the Keys view (unit-tested).

/** What a pasted key looks like once trimmed: the check Rust repeats authoritatively. */
export function pasteHint(raw: string): string | null {
  const s = raw.trim().replace(/^["']|["']$/g, '');
  if (s === '') return null;
  if (s.length > 200) return 'That is far longer than a Postman API key.';
  if (s.startsWith('PMAT-')) return 'That is a collection access key (PMAT-…). Paste a Postman API key (PMAK-…).';
  if (!s.startsWith('PMAK-')) return 'A Postman API key starts with PMAK-.';
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
