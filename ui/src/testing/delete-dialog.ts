// DeleteDialog as a user meets it: the name to type before the deletion is sent.
import { screen } from '@testing-library/svelte';
import type { UserEvent } from '@testing-library/user-event';
import { expect } from 'vitest';

/**
 * Types `name` in the open DeleteDialog as a user who first gets its case wrong: Delete stays
 * disabled until the name is exact. Resolves to the Delete button, enabled and not clicked.
 */
export async function typeNameToDelete(
  user: UserEvent,
  name: string,
  testids: { name: string; go: string } = { name: 'confirm-name', go: 'confirm-delete' },
): Promise<HTMLElement> {
  const go = screen.getByTestId(testids.go);
  const input = screen.getByTestId(testids.name);
  await user.type(input, name.toLowerCase());
  expect(go).toBeDisabled();
  await user.clear(input);
  await user.type(input, name);
  expect(go).toBeEnabled();
  return go;
}
