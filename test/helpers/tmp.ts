/**
 * Temporary directories for tests, removed when the test file's tests are done (pass or fail), so a
 * test run leaves nothing behind in the system's temp directory.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'ava';

const created: string[] = [];

// Declared at import time: AVA accepts hooks only while a test file is loading.
test.after.always(() => {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

export function tmpDir(prefix = 'toolrl-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}
