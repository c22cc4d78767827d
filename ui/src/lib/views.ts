// The views of the shell, in sidebar order. Each later feature fills one of them.

export type ViewId = 'keys' | 'collections' | 'environments' | 'sharing' | 'monitors' | 'mocks' | 'usage' | 'activity';

export interface ViewDef {
  id: ViewId;
  /** Sidebar label and accessible name of its button. */
  label: string;
  /** Heading of the empty state. */
  emptyTitle: string;
  /** What the view will hold, said to the user. */
  emptyText: string;
}

export const VIEWS: readonly ViewDef[] = [
  {
    id: 'keys',
    label: 'Keys',
    emptyTitle: 'No API keys yet',
    emptyText:
      'Your Postman API keys will be listed here, kept in the OS keychain: owner, team, status, expiry with days left, and which one is active.',
  },
  {
    id: 'collections',
    label: 'Collections',
    emptyTitle: 'No collections loaded',
    emptyText:
      "The collections of the selected workspace will appear here: browse each folder and request, edit, create and delete.",
  },
  {
    id: 'environments',
    label: 'Environments',
    emptyTitle: 'No environments loaded',
    emptyText:
      'Environments and their variables, per workspace, with secret values masked until you reveal them.',
  },
  {
    id: 'sharing',
    label: 'Sharing',
    emptyTitle: 'No collection access keys',
    emptyText:
      'Collection access keys (PMAT-…) will be listed here: which collection each one opens, when it expires, when it was last used. Revoke one or many.',
  },
  {
    id: 'monitors',
    label: 'Monitors',
    emptyTitle: 'No monitors',
    emptyText:
      'Monitors of the workspace with their schedules, last runs and the history Postdesk keeps: run now, pause, and see every assertion of a run.',
  },
  {
    id: 'mocks',
    label: 'Mocks',
    emptyTitle: 'No mock servers',
    emptyText:
      'Mock servers of the workspace with their URLs and calls: try one, switch it to errors, read its call log, or run a collection locally, offline.',
  },
  {
    id: 'usage',
    label: 'Usage',
    emptyTitle: 'No usage figures yet',
    emptyText:
      "Your account's monthly Postman API usage against its quota, the per-minute rate limit, and a projection to the end of the month.",
  },
  {
    id: 'activity',
    label: 'Activity',
    emptyTitle: 'No API calls yet',
    emptyText:
      'Every Postman API call Postdesk makes will be logged here: time, method, path, status, duration and the rate limit left.',
  },
];

/** Roving focus in the sidebar: where a key press moves the selection, or null if it doesn't. */
export function nextIndex(current: number, key: string, count: number): number | null {
  if (count <= 0) return null;
  switch (key) {
    case 'ArrowDown':
      return (current + 1) % count;
    case 'ArrowUp':
      return (current - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/** Ctrl+1…Ctrl+8 (Cmd on macOS) jump straight to a view. */
export function shortcutIndex(
  e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>,
  count: number,
): number | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return null;
  const n = Number.parseInt(e.key, 10);
  if (!Number.isInteger(n) || n < 1 || n > count) return null;
  return n - 1;
}
