// Watched folders: add one by path in settings (the browser has no folder picker), write a file into it
// from the test, and see its page appear without touching the window.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '../fixtures';

test('a file written into a watched folder appears as a memory', async ({ engram, tempDir }) => {
  const folder = join(tempDir, 'watched notes');
  mkdirSync(folder);

  await engram.openSettings();
  await engram.watchFolder(folder);
  await engram.closePanel();

  writeFileSync(join(folder, 'journal.md'), '# Journal\n\nToday the watcher noticed this file on its own.\n\n- no drop\n- no picker\n');
  await engram.expectDocument('journal.md', 1);

  // Still watched after a reload, straight from the engine.
  await engram.reload();
  await engram.openSettings();
  await expect(engram.page.locator(`[data-testid="folder"][data-path="${folder}"]`)).toContainText('Watching');
});
