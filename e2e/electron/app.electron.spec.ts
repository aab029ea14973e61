// The browser e2e's flow in the real Electron shell: ingest a markdown file through window.engram, see it, relaunch, still there.
// Skips, saying why, where the Electron binary is missing or cannot open a window (no download is ever attempted).
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectElectron } from '../../scripts/start.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const check = detectElectron({ root, env: { ...process.env, ENGRAM_NO_ELECTRON: undefined } });
const reason = check.ok ? '' : `Electron cannot start here: ${check.reason}`;
if (reason) console.warn(`[electron e2e] SKIPPED: ${reason}`);

test.describe('Engram in Electron', () => {
  test.skip(!check.ok, reason);

  let dataDir: string;
  let docsDir: string;
  test.beforeAll(() => {
    const outputs = ['dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/renderer/index.html'];
    // Build only when something is missing: `npm test` builds the renderer, nothing builds the shell before this.
    if (outputs.some((f) => !existsSync(join(root, f)))) spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
    for (const f of outputs) {
      if (!existsSync(join(root, f))) throw new Error(`${f} is missing and \`npm run build\` did not produce it.`);
    }
    dataDir = mkdtempSync(join(tmpdir(), 'engram-e2e-electron-data-'));
    docsDir = mkdtempSync(join(tmpdir(), 'engram-e2e-electron-docs-'));
  });
  test.afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(docsDir, { recursive: true, force: true });
  });

  async function launch(): Promise<{ app: ElectronApplication; page: Page }> {
    if (!check.ok) throw new Error(reason);
    // Chromium refuses to run as root with its OS sandbox on (CI containers); the renderer sandbox option still applies.
    const rootArgs = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
    const app = await electron.launch({ executablePath: check.bin, args: [...rootArgs, root, '--data', dataDir], cwd: root });
    const page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
    return { app, page };
  }

  test('the bridge exposes exactly call, on and pathForFile, and no Node', async () => {
    const { app, page } = await launch();
    try {
      const shape = await page.evaluate(() => ({
        keys: Object.keys((window as unknown as { engram: object }).engram).sort(),
        require: typeof (window as unknown as { require?: unknown }).require,
        process: typeof (window as unknown as { process?: unknown }).process,
        origin: location.origin,
      }));
      expect(shape).toEqual({ keys: ['call', 'on', 'pathForFile'], require: 'undefined', process: 'undefined', origin: 'engram://app' });
      const info = await page.evaluate(() => (window as unknown as { engram: { call(n: string, i: object): Promise<{ transport: string; dataDir: string }> } }).engram.call('app.info', {}));
      expect(info.transport).toBe('ipc');
    } finally {
      await app.close();
    }
  });

  test('a markdown file ingested through the bridge is listed, and survives a relaunch', async () => {
    const note = join(docsDir, 'electron-note.md');
    writeFileSync(note, '# Electron note\n\nEngram remembers this page by sight.\n');
    const card = (page: Page) => page.locator('[data-testid="memory-card"][aria-label^="electron-note.md"]');

    const first = await launch();
    try {
      await first.page.evaluate(
        (p) => (window as unknown as { engram: { call(n: string, i: object): Promise<unknown> } }).engram.call('ingest.addPaths', { paths: [p] }),
        note,
      );
      await expect(card(first.page).first()).toBeVisible();
    } finally {
      await first.app.close();
    }

    const second = await launch();
    try {
      await expect(card(second.page).first()).toBeVisible();
    } finally {
      await second.app.close();
    }
  });
});
