// Bad files next to good ones: each bad file ends as a failed job that says why, and the good file still lands.
import { makeBadFixtures, makeGoodFixtures } from '../../tests/fixtures/makeFixtures';
import { expect, test } from '../fixtures';

test('bad files fail with a reason while the good ones land', async ({ engram, tempDir }) => {
  const good = await makeGoodFixtures(tempDir);
  const bad = await makeBadFixtures(tempDir);

  await engram.dropFiles([bad.empty, good.markdown, bad.binaryTxt, bad.notAPdf]);

  await engram.expectDocument('notes.md', 1);
  await engram.openQueue();
  await engram.expectJob('notes.md', 'ready');
  for (const name of ['empty.txt', 'binary.txt', 'not-a-pdf.pdf']) {
    const job = await engram.expectJob(name, 'failed');
    await expect(job.getByTestId('job-error')).not.toBeEmpty();
  }
  await expect(engram.page.getByTestId('open-queue')).toBeVisible();
  await expect(engram.cardsOf('empty.txt')).toHaveCount(0);
  await expect(engram.cardsOf('binary.txt')).toHaveCount(0);
});
