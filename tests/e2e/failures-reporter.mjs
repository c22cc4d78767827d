// A node:test reporter that writes only the failures, each with its file and the first lines of
// its error (the cause, for a failed assertion or hook). run.sh prints this last, so the end of a
// failed run's log says which test failed first and why, however long the spec output is.
import path from 'node:path';

export default async function* failures(source) {
  const found = [];
  for await (const event of source) {
    if (event.type !== 'test:fail') continue;
    const { name, file, details } = event.data;
    // A suite fails when a test in it did: its own line adds nothing unless a hook failed.
    const error = details?.error;
    // A test cancelled because its suite's hook failed repeats that failure.
    if (error?.failureType === 'subtestsFailed' || error?.failureType === 'cancelledByParent') continue;
    const cause = error?.cause ?? error;
    const text = String(cause?.stack ?? cause?.message ?? cause ?? 'failed')
      .split('\n')
      // The message, and only the stack frames in the suite's own files.
      .filter((l) => l.trim() !== '' && (!/^\s+at /.test(l) || (l.includes('file://') && !l.includes('node_modules'))))
      .slice(0, 6)
      .join('\n    ');
    found.push(`${file ? path.basename(file) : '?'} › ${name}\n    ${text}`);
  }
  yield found.length === 0 ? 'no test failed\n' : `${found.length} failed, in the order they ran:\n${found.map((f, i) => `${i + 1}. ${f}`).join('\n')}\n`;
}
