// The browser transport's edges: the native picker falls back to the browser's file input, a page without a
// token says where to get one, and a host that goes away shows the disconnected banner.
import { makeGoodFixtures } from '../../tests/fixtures/makeFixtures';
import { expect, test } from '../fixtures';

test('Add files falls back to the browser file picker on the loopback host', async ({ engram, tempDir }) => {
  const files = await makeGoodFixtures(tempDir);
  const chooser = engram.page.waitForEvent('filechooser');
  await engram.page.getByRole('button', { name: 'Add files' }).click();
  await (await chooser).setFiles([files.code]);
  await engram.expectDocument('ledger.ts', files.pages.code);
});

test('a page opened without its token explains where to get one', async ({ host, browser }) => {
  const page = await browser.newPage();
  await page.goto(host.url.replace(/#.*$/, ''));
  await expect(page.getByTestId('connection-banner')).toContainText('no access token');
  await page.close();
});

test('the window says so when the host goes away', async ({ engram, host }) => {
  await expect(engram.page.getByTestId('connection-banner')).toHaveCount(0);
  await host.stop();
  await expect(engram.page.getByTestId('connection-banner')).toContainText('Disconnected from Engram');
});
