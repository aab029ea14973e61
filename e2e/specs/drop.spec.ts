// Dropping files on the window: a multi-page PDF and a markdown file become page memories with thumbnails,
// the queue reaches 100%, and a reload still shows them (the token survives in sessionStorage).
import { makeGoodFixtures } from '../../tests/fixtures/makeFixtures';
import { expect, test } from '../fixtures';

test('a dropped PDF and markdown file land as page memories and survive a reload', async ({ engram, tempDir }) => {
  const files = await makeGoodFixtures(tempDir);
  await expect(engram.page.getByRole('heading', { name: 'Nothing remembered yet' })).toBeVisible();

  await engram.dropFiles([files.pdf, files.markdown]);

  await engram.expectDocument('facts.pdf', files.pages.pdf);
  await engram.expectDocument('notes.md', files.pages.markdown);
  await engram.openQueue();
  await engram.expectJob('facts.pdf', 'ready');
  await engram.expectJob('notes.md', 'ready');
  await expect(engram.job('facts.pdf')).toContainText(`${files.pages.pdf} of ${files.pages.pdf} pages`);
  await expect(engram.overallProgress).toHaveAttribute('aria-valuenow', '100');
  await engram.closePanel();
  await expect.poll(() => engram.stat('Documents')).toBe('2');

  // Keyboard: focus a card, Enter opens its detail with its history, Esc closes it.
  await engram.cardsOf('facts.pdf').nth(1).focus();
  await engram.page.keyboard.press('Enter');
  const detail = engram.page.getByTestId('memory-detail');
  await expect(detail).toContainText('Page 2 of 4');
  await expect(detail).toContainText('Remembered');
  await engram.closePanel();

  await engram.reload();
  expect(engram.page.url()).not.toContain('token=');
  await engram.expectDocument('facts.pdf', files.pages.pdf);
  await engram.expectDocument('notes.md', files.pages.markdown);
  expect(engram.errors.filter((e) => /Content Security Policy|Refused/.test(e))).toEqual([]);
});
