// The memory timeline: documents dropped now fade in the simulated future, the chosen memory's decoded text and
// level change with the slider, and a pinned memory keeps its level a year ahead while the others fade.
import { makeGoodFixtures } from '../../tests/fixtures/makeFixtures';
import { expect, test } from '../fixtures';

test('the slider fades memories into the future, and a pinned one keeps its level', async ({ engram, tempDir }) => {
  const files = await makeGoodFixtures(tempDir);
  await engram.dropFiles([files.pdf, files.markdown, files.text]);
  await engram.expectDocument('facts.pdf', files.pages.pdf);
  await engram.expectDocument('notes.md', files.pages.markdown);
  await engram.expectDocument('letters.txt', files.pages.text);
  const pages = files.pages.pdf + files.pages.markdown + files.pages.text;

  await engram.openTimeline();
  await expect(engram.timeline).toHaveAttribute('data-kind', 'now');
  await expect(engram.timelineRows).toHaveCount(pages);
  const now = await engram.timelineLevels();
  // Fresh pages sit at the mode they were encoded at (the default, small).
  expect(new Set(Object.values(now))).toEqual(new Set(['small']));
  await expect(engram.page.getByTestId('timeline-plot')).toBeVisible();
  await expect(engram.page.getByTestId('budget-line')).toBeVisible();

  // Choose one page and read what its tokens decode to now.
  await engram.timelineRow('facts.pdf', 3).click();
  await expect(engram.fadingMemory).toHaveAttribute('data-level', 'small');
  const decodedNow = await engram.decodedAtMoment();
  expect(decodedNow).toMatchObject({ level: 'small', tokens: '100' });

  // A year ahead under today's settings: fewer tokens, lower levels, and the chosen page's decoded text follows.
  await engram.seekTimeline('+1 year', 'future');
  const yearAhead = await engram.timelineLevels();
  expect(Object.keys(yearAhead).length).toBeGreaterThan(0);
  expect(Object.values(yearAhead).some((l) => l !== 'small')).toBe(true);
  const faded = (await engram.fadingMemory.getAttribute('data-level'))!;
  expect(faded).not.toBe('small');
  const decodedLater = await engram.decodedAtMoment();
  expect(decodedLater.level).toBe(faded);
  expect(Number(decodedLater.tokens)).toBeLessThan(100);
  // The words themselves change as the page fades: what a year-old memory still says is not what it says today.
  expect(decodedNow.text.length).toBeGreaterThan(0);
  expect(decodedLater.text).not.toBe(decodedNow.text);
  await expect(engram.page.getByTestId('ladder').first()).toHaveAttribute('data-level', faded);

  // Somewhere in between (a month ahead) the bank differs from both ends or matches one: levels never climb back.
  await engram.setTimelineSlider(600);
  const between = await engram.timelineLevels();
  const rank = ['large', 'base', 'small', 'tiny', 'gist16', 'gist4', 'gist1'];
  for (const [k, level] of Object.entries(yearAhead)) expect(rank.indexOf(between[k])).toBeLessThanOrEqual(rank.indexOf(level));

  // Pin it: a year ahead it is still at its own level, while an unpinned neighbour has faded.
  await engram.seekTimeline('+1 year', 'future');
  await engram.fadingMemory.getByTestId('pin').click();
  await expect(engram.fadingMemory.getByTestId('pin')).toHaveAttribute('aria-pressed', 'true');
  await expect(engram.timelineRow('facts.pdf', 3)).toHaveAttribute('data-level', 'small');
  await expect(engram.timelineRow('facts.pdf', 3)).toContainText('pinned');
  await expect(engram.timelineRow('facts.pdf', 2)).toHaveAttribute('data-level', yearAhead['facts.pdf p.2']);
  expect(yearAhead['facts.pdf p.2']).not.toBe('small');
  const pinned = await engram.decodedAtMoment();
  expect(pinned).toMatchObject({ level: 'small', tokens: '100' });
  // Pinned, its tokens are today's, and so is what they decode to.
  expect(pinned.text).toBe(decodedNow.text);
  await expect(engram.fadingMemory.getByTestId('score')).toContainText('pinned');

  // The memory detail shows the same pin, and the score's parts.
  await engram.fadingMemory.getByRole('button', { name: 'Details' }).click();
  const detail = engram.page.getByTestId('memory-detail');
  await expect(detail.getByTestId('pin')).toHaveAttribute('aria-pressed', 'true');
  await expect(detail.getByTestId('score')).toContainText('Recency');
  await expect(detail.getByTestId('detail-decoded')).not.toHaveAttribute('data-state', 'loading');
  await engram.closePanel();
});

test('settings show the budget used, and Forget now reports what it did', async ({ engram, tempDir }) => {
  const files = await makeGoodFixtures(tempDir);
  await engram.dropFiles([files.pdf]);
  await engram.expectDocument('facts.pdf', files.pages.pdf);
  await engram.openSettings();
  await expect(engram.page.getByTestId('budget-used')).toContainText('400 of');

  // A budget below what is held makes the pass fade pages until it fits.
  await engram.page.getByTestId('bank-budget').fill('250');
  await engram.page.getByTestId('bank-budget').press('Enter');
  await expect(engram.page.getByTestId('budget-used')).toContainText('of 250 used');
  await engram.page.getByTestId('forget-now').click();
  const result = engram.page.getByTestId('forget-result');
  // The engine may already have faded some pages on its own when the budget changed; the report says what holds now.
  await expect(result).toContainText('→');
  const after = Number((await result.locator('strong').first().innerText()).replace(/\D/g, ''));
  expect(after).toBeLessThanOrEqual(250);
  await expect.poll(() => engram.stat('Tokens')).toBe(String(after));
});
