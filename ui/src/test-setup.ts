import '@testing-library/jest-dom/vitest';
import { afterEach } from 'vitest';
import { takeUnanswered } from './testing/fake';

// A call no recording answers fails the test, even when the UI swallowed the rejection.
afterEach(() => {
  const problems = takeUnanswered();
  if (problems.length > 0) throw new Error(problems.join('\n'));
});
