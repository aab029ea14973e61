// The chat sidebar: ask about a fact on the third page of a dropped PDF, watch the answer stream in with a citation
// of that page, find the thread again after a reload, export it, and get an honest "nothing remembered" for the rest.
import { readFileSync } from 'node:fs';
import { makeGoodFixtures, PDF_FACTS } from '../../tests/fixtures/makeFixtures';
import { callHost, expect, test } from '../fixtures';

test('an answer streams in citing page 3, the thread survives a reload, and an unknown topic cites nothing', async ({ engram, tempDir, host }) => {
  const files = await makeGoodFixtures(tempDir);
  await engram.dropFiles([files.pdf]);
  await engram.expectDocument('facts.pdf', files.pages.pdf);

  // Retrieval reads only text decoded from the optical tokens: the default pack must read page 3's fact back from them
  // (most of its words: a rare name may come back misspelt, and retrieval is built to bear that).
  const { memories } = await callHost<{ memories: { id: string; name: string; page: number }[] }>(host, 'memory.list', {});
  const page3 = memories.find((m) => m.name === 'facts.pdf' && m.page === 3)!;
  const decoded = await callHost<{ text: string | null }>(host, 'memory.decode', { id: page3.id });
  test.info().annotations.push({ type: 'page 3 decoded', description: (decoded.text ?? '').slice(0, 200) });
  const words = PDF_FACTS[2].toLowerCase().match(/[a-z]+/g)!;
  const found = words.filter((w) => (decoded.text ?? '').toLowerCase().includes(w));
  expect(found.length / words.length, `page 3 decodes from its tokens: ${found.join(' ')}`).toBeGreaterThanOrEqual(0.8);

  await engram.openChat();
  await engram.recordStreaming();
  const question = 'What does the lighthouse keeper on Skerryvore paint every ninth of March?';
  const answer = await engram.ask(question);

  // Streamed: the answer showed in pieces before it landed whole.
  const streamed = await engram.streamedTexts();
  expect(streamed.filter((t) => t.trim()).length).toBeGreaterThan(0);
  // Cited: page 3 of facts.pdf, where the fact is (PDF_FACTS[2]).
  const cite = answer.locator('[data-testid="citation"][data-name="facts.pdf"][data-page="3"]');
  test.info().annotations.push({ type: 'answer', description: `${await answer.innerText()} (fact: ${PDF_FACTS[2]})` });
  await expect(cite, 'the answer cites page 3 of facts.pdf').toBeVisible();
  expect(await answer.getAttribute('data-nothing')).toBe('false');
  await expect(cite).toContainText('page 3 of 4');
  expect((await answer.getByTestId('answer-text').innerText()).toLowerCase()).toContain('teal');
  // A citation opens the memory's detail, which says where its source is.
  await cite.click();
  const detail = engram.page.getByTestId('memory-detail');
  await expect(detail).toContainText('Page 3 of 4');
  await expect(detail.getByTestId('detail-source')).toBeVisible();
  await engram.closePanel();

  // The thread is kept in IndexedDB: after a reload it is there, with its answer and citations.
  const answerText = (await answer.textContent()) ?? '';
  await engram.reload();
  await engram.openChat();
  await expect(engram.chat.locator('[data-testid="chat-message"][data-role="user"]').first()).toHaveText(question);
  await expect(engram.chat.locator('[data-testid="chat-message"][data-role="assistant"]').first()).toHaveText(answerText);
  await expect(engram.chat.locator('[data-testid="citation"][data-page="3"]')).toBeVisible();

  // It exports as Markdown.
  const download = engram.page.waitForEvent('download');
  await engram.page.getByTestId('export-thread').click();
  const md = readFileSync((await (await download).path())!, 'utf8');
  expect(md).toContain(`## ${question}`);
  expect(md).toContain('facts.pdf, page 3 of 4');

  // Nothing in memory is about this: said plainly, with no citation.
  await engram.page.getByTestId('new-thread').click();
  const none = await engram.ask('What is the boiling point of liquid nitrogen on Neptune?');
  await expect(none).toHaveAttribute('data-nothing', 'true');
  await expect(none.getByTestId('nothing-remembered')).toContainText(/nothing remembered/i);
  await expect(none.getByTestId('citation')).toHaveCount(0);
});
