// Screen capture's settings through the loopback host: off by default, interval, exclusions and retention shown and
// editable, and turning capture off stops it at once. Pixels are not tested here (the browser e2e may have no X).
import { expect, test } from '../fixtures';

test('capture is off by default, its settings edit, and turning it off stops it at once', async ({ engram }) => {
  await expect(engram.page.getByTestId('capture-indicator')).toHaveCount(0);
  await engram.openSettings();
  const s = engram.captureSettings;
  await expect(s).toHaveAttribute('data-enabled', 'false');
  await expect(engram.captureSwitch).toHaveAttribute('aria-checked', 'false');
  await expect(engram.page.getByTestId('capture-status')).toContainText('Off');
  await expect(engram.page.getByTestId('capture-interval')).toHaveValue('10');
  await expect(engram.page.getByTestId('capture-retention')).toHaveValue('30');
  await expect(s.getByTestId('exclusions-apps')).toContainText('KeePassXC');
  await expect(s.getByTestId('exclusions-titles')).toContainText('Private Browsing');
  await expect(s.getByRole('radio', { name: /redact/i })).toHaveAttribute('aria-checked', 'true');

  // Edit: a slower interval, a shorter retention, one more excluded title, drop instead of redact.
  await engram.page.getByTestId('capture-interval').fill('30');
  await engram.page.getByTestId('capture-interval').press('Enter');
  await engram.page.getByTestId('capture-retention').fill('7');
  await engram.page.getByTestId('capture-retention').press('Enter');
  await engram.page.getByLabel('Never capture windows titled').fill('Salary review');
  await s.getByTestId('exclusions-titles').getByRole('button', { name: 'Add' }).click();
  await expect(s.getByTestId('exclusions-titles')).toContainText('Salary review');
  await s.getByRole('radio', { name: /drop/i }).click();
  await expect(s.getByRole('radio', { name: /drop/i })).toHaveAttribute('aria-checked', 'true');

  // On: the engine starts its timer, and the header says so.
  await engram.captureSwitch.click();
  await expect(engram.captureSwitch).toHaveAttribute('aria-checked', 'true');
  await expect(s).toHaveAttribute('data-enabled', 'true');
  await expect(s).toHaveAttribute('data-capturing', 'true');
  await expect(engram.page.getByTestId('capture-indicator')).toBeVisible();
  await expect(engram.page.getByTestId('capture-status')).toContainText('Capturing every 30 s');

  // Off: at once, in the switch, the status and the header, and the engine agrees.
  await engram.captureSwitch.click();
  await expect(engram.captureSwitch).toHaveAttribute('aria-checked', 'false', { timeout: 1_000 });
  await expect(engram.page.getByTestId('capture-indicator')).toHaveCount(0, { timeout: 1_000 });
  await expect(s).toHaveAttribute('data-capturing', 'false');
  await expect(engram.page.getByTestId('capture-status')).toContainText('Off');

  // What the engine holds, read fresh after a reload.
  await engram.closePanel();
  await engram.reload();
  await engram.openSettings();
  await expect(engram.captureSettings).toHaveAttribute('data-enabled', 'false');
  await expect(engram.captureSettings).toHaveAttribute('data-capturing', 'false');
  await expect(engram.page.getByTestId('capture-interval')).toHaveValue('30');
  await expect(engram.page.getByTestId('capture-retention')).toHaveValue('7');
  await expect(engram.captureSettings.getByTestId('exclusions-titles')).toContainText('Salary review');
  await expect(engram.captureSettings.getByRole('radio', { name: /drop/i })).toHaveAttribute('aria-checked', 'true');
});

test('the header indicator stops capture with one click', async ({ engram }) => {
  await engram.openSettings();
  await engram.captureSwitch.click();
  await expect(engram.captureSettings).toHaveAttribute('data-capturing', 'true');
  await engram.closePanel();
  await engram.page.getByTestId('capture-indicator').click();
  await expect(engram.page.getByTestId('capture-indicator')).toHaveCount(0, { timeout: 1_000 });
  await engram.openSettings();
  await expect(engram.captureSwitch).toHaveAttribute('aria-checked', 'false');
});
