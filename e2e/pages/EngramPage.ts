// The Engram window as the specs see it: drop files, read the memory grid, the queue and settings.
// Specs speak in these verbs; selectors live here alone.
import { expect, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** The few browser globals the in-page drop uses; the e2e tsconfig has no DOM lib, and the code runs in the page. */
interface DropGlobals {
  atob(data: string): string;
  File: new (parts: Uint8Array[], name: string, init?: { type?: string }) => object;
  DataTransfer: new () => { items: { add(file: object): unknown } };
}

const TYPES: Record<string, string> = { '.pdf': 'application/pdf', '.md': 'text/markdown', '.txt': 'text/plain', '.png': 'image/png', '.ts': 'text/plain' };

export class EngramPage {
  /** Console errors and CSP violations seen since the page opened. */
  readonly errors: string[] = [];

  constructor(readonly page: Page) {
    page.on('console', (m) => {
      if (m.type() === 'error') this.errors.push(m.text());
    });
    page.on('pageerror', (e) => this.errors.push(e.message));
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.waitReady();
  }

  /** Connected and loaded: stats show, and either the grid or the empty state is there. */
  async waitReady(): Promise<void> {
    await expect(this.page.getByTestId('stats').locator('dd').first()).toBeVisible();
    await expect(this.page.getByTestId('memory-grid').or(this.page.getByRole('heading', { name: 'Nothing remembered yet' }))).toBeVisible();
  }

  async reload(): Promise<void> {
    await this.page.reload();
    await this.waitReady();
  }

  /**
   * Drops files from disk onto the window the way a browser does: File objects built in the page from the bytes,
   * in a DataTransfer, through dragenter, dragover and drop. Checks the overlay shows while dragging.
   */
  async dropFiles(paths: string[]): Promise<void> {
    const files = paths.map((p) => ({ name: basename(p), type: TYPES[p.slice(p.lastIndexOf('.'))] ?? '', base64: readFileSync(p).toString('base64') }));
    const dataTransfer = await this.page.evaluateHandle((list) => {
      const w = globalThis as unknown as DropGlobals;
      const dt = new w.DataTransfer();
      for (const f of list) {
        const bin = w.atob(f.base64);
        const bytes = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
        dt.items.add(new w.File([bytes], f.name, { type: f.type }));
      }
      return dt;
    }, files);
    const target = this.page.locator('main');
    await target.dispatchEvent('dragenter', { dataTransfer });
    await target.dispatchEvent('dragover', { dataTransfer });
    await expect(this.dropOverlay).toBeVisible();
    await target.dispatchEvent('drop', { dataTransfer });
    await expect(this.dropOverlay).toBeHidden();
    await dataTransfer.dispose();
  }

  get dropOverlay(): Locator {
    return this.page.getByTestId('drop-overlay');
  }

  get cards(): Locator {
    return this.page.getByTestId('memory-card');
  }

  cardsOf(name: string): Locator {
    return this.cards.filter({ has: this.page.locator('.card__name', { hasText: name }) });
  }

  /** Waits until a document shows all its pages (as many as its cards say, when not given), each with a PNG thumbnail. */
  async expectDocument(name: string, pages?: number): Promise<number> {
    const cards = this.cardsOf(name);
    if (pages === undefined) {
      pages = Number(await cards.first().getAttribute('data-pages'));
    }
    await expect(cards).toHaveCount(pages);
    for (let i = 0; i < pages; i++) {
      await expect(cards.nth(i)).toHaveAttribute('data-page', String(i + 1));
      await expect(cards.nth(i)).toContainText(`Page ${i + 1} of ${pages}`);
      await expect(cards.nth(i).locator('img')).toHaveAttribute('src', /^data:image\/png;base64,/);
    }
    // Decoded and drawn, not merely present.
    await expect.poll(() => cards.first().locator('img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    return pages;
  }

  async stat(label: string): Promise<string> {
    return (await this.page.getByTestId('stats').locator('div', { has: this.page.locator('dt', { hasText: label }) }).locator('dd').textContent()) ?? '';
  }

  // ---- queue ----

  async openQueue(): Promise<void> {
    if (!(await this.page.getByTestId('queue-panel').isVisible())) await this.page.getByTestId('open-queue').click();
    await expect(this.page.getByTestId('queue-panel')).toBeVisible();
  }

  job(name: string): Locator {
    return this.page.locator(`[data-testid="job"][data-name="${name}"]`);
  }

  async expectJob(name: string, state: string): Promise<Locator> {
    const job = this.job(name);
    await expect(job).toHaveAttribute('data-state', state);
    return job;
  }

  get overallProgress(): Locator {
    return this.page.getByRole('progressbar', { name: 'Overall progress', exact: true });
  }

  // ---- settings ----

  async openSettings(): Promise<void> {
    await this.page.getByTestId('open-settings').click();
    await expect(this.page.getByTestId('settings-panel')).toBeVisible();
  }

  async watchFolder(path: string): Promise<void> {
    await this.page.getByLabel('Folder path').fill(path);
    await this.page.getByRole('button', { name: 'Watch', exact: true }).click();
    await expect(this.page.locator(`[data-testid="folder"][data-path="${path}"]`)).toContainText('Watching');
  }

  /** Takes focus off whatever has it (and the pointer off the cards), for pictures without focus rings or hover. */
  async idle(): Promise<void> {
    await this.page.mouse.move(0, 0);
    await this.page.evaluate(() => (globalThis as unknown as { document: { activeElement: { blur?(): void } | null } }).document.activeElement?.blur?.());
  }

  /** Esc closes whichever panel is open. */
  async closePanel(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await expect(this.page.getByRole('dialog')).toHaveCount(0);
  }
}
