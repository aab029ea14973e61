// The README's pictures: a bank with one of each kind of file, in the light and the dark theme; then the timeline
// a month ahead and the chat sidebar.
// Saved to e2e/screenshots/; the test also checks every file landed, so a broken run never makes a pretty lie.
import { join } from 'node:path';
import { makeGoodFixtures } from '../../tests/fixtures/makeFixtures';
import { expect, root, test } from '../fixtures';

test('screenshot of a bank with memories', async ({ engram, tempDir }) => {
  const f = await makeGoodFixtures(tempDir);
  const docs = [f.text, f.docx, f.code, f.jpeg, f.markdown, f.pdf];
  await engram.dropFiles(docs);
  // Wait for every job first, so page counts are final; the picture cares that each landed, not how many pages.
  await engram.openQueue();
  await expect(engram.page.locator('[data-testid="job"][data-state="ready"]')).toHaveCount(docs.length);
  await engram.closePanel();
  await expect(engram.page.getByTestId('queue-strip')).toBeHidden();
  for (const p of docs) await engram.expectDocument(p.split('/').pop()!);
  await expect.poll(() => engram.stat('Documents')).toBe(String(docs.length));
  // Notices fade on their own; the picture should not carry them.
  await expect(engram.page.locator('.notice')).toHaveCount(0, { timeout: 15_000 });
  await engram.idle();

  await engram.page.screenshot({ path: join(root, 'e2e/screenshots/engram.png'), animations: 'disabled' });
  await engram.page.emulateMedia({ colorScheme: 'dark' });
  await engram.page.screenshot({ path: join(root, 'e2e/screenshots/engram-dark.png'), animations: 'disabled' });

  await engram.page.emulateMedia({ colorScheme: 'light' });
  await engram.cardsOf('facts.pdf').first().click();
  await expect(engram.page.getByTestId('memory-detail')).toContainText('Remembered');
  await engram.idle();
  await engram.page.screenshot({ path: join(root, 'e2e/screenshots/engram-detail.png'), animations: 'disabled' });
  await engram.closePanel();
  await engram.openQueue();
  await engram.idle();
  await engram.page.screenshot({ path: join(root, 'e2e/screenshots/engram-queue.png'), animations: 'disabled' });
  await engram.closePanel();

  // The timeline a month ahead, one page chosen, its decoded text read at the level it has faded to by then.
  await engram.openTimeline();
  await engram.timelineRow('facts.pdf', 3).click();
  await engram.seekTimeline('+1 month', 'future');
  await engram.decodedAtMoment();
  await engram.idle();
  await engram.page.screenshot({ path: join(root, 'e2e/screenshots/timeline.png'), animations: 'disabled' });

  // The chat sidebar beside the memories, after one question.
  await engram.page.getByTestId('view-memories').click();
  await engram.openChat();
  await engram.ask('What does the lighthouse keeper on Skerryvore paint every ninth of March?');
  await engram.idle();
  await engram.page.screenshot({ path: join(root, 'e2e/screenshots/chat.png'), animations: 'disabled' });
});
