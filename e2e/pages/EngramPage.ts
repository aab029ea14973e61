// The Engram window as the specs see it: drop files, read the memory grid, the queue, settings, the timeline and chat.
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

  // ---- timeline ----

  get timeline(): Locator {
    return this.page.getByTestId('timeline');
  }

  async openTimeline(): Promise<void> {
    await this.page.getByTestId('view-timeline').click();
    await expect(this.timelineRows.first()).toBeVisible();
    await this.timelineSettled();
  }

  get timelineRows(): Locator {
    return this.page.getByTestId('timeline-memory');
  }

  timelineRow(name: string, page: number): Locator {
    return this.page.locator(`[data-testid="timeline-memory"][data-name="${name}"][data-page="${page}"]`);
  }

  /** Each row's "name p.N" → level, at the moment the timeline shows. */
  async timelineLevels(): Promise<Record<string, string>> {
    return this.timelineRows.evaluateAll((rows) =>
      Object.fromEntries(
        rows.map((r) => {
          const e = r as unknown as { getAttribute(n: string): string | null };
          return [`${e.getAttribute('data-name')} p.${e.getAttribute('data-page')}`, e.getAttribute('data-level') ?? ''];
        }),
      ),
    );
  }

  /** Waits until the bank shown is the one for the slider's position. */
  async timelineSettled(): Promise<void> {
    await expect(this.timeline).toHaveAttribute('data-busy', 'false');
  }

  /** Jumps with one of the slider's stops: 'First memory', 'Now', '+1 week', '+1 month', '+1 year'. */
  async seekTimeline(stop: string, kind: 'past' | 'now' | 'future'): Promise<void> {
    await this.page.getByTestId(`stop-${stop}`).click();
    await expect(this.timeline).toHaveAttribute('data-kind', kind);
    await this.timelineSettled();
  }

  /** Drags the slider to a raw position (0-1000) the way a keyboard or pointer would leave it. */
  async setTimelineSlider(position: number): Promise<void> {
    await this.page.getByTestId('timeline-slider').fill(String(position));
    await expect(this.timeline).toHaveAttribute('data-cursor', String(position));
    await this.timelineSettled();
  }

  get fadingMemory(): Locator {
    return this.page.getByTestId('fading-memory');
  }

  /** The decoded-text figure of the chosen memory, once decoded (not 'loading'). */
  async decodedAtMoment(): Promise<{ level: string; tokens: string; state: string; text: string }> {
    const fig = this.page.getByTestId('timeline-decoded');
    await expect(fig).not.toHaveAttribute('data-state', 'loading');
    return {
      level: (await fig.getAttribute('data-level')) ?? '',
      tokens: (await fig.getAttribute('data-tokens')) ?? '',
      state: (await fig.getAttribute('data-state')) ?? '',
      text: (await fig.innerText()).trim(),
    };
  }

  // ---- chat ----

  get chat(): Locator {
    return this.page.getByTestId('chat');
  }

  async openChat(): Promise<void> {
    if (!(await this.chat.isVisible())) await this.page.getByTestId('open-chat').click();
    await expect(this.chat).toBeVisible();
  }

  /** Starts recording every text the streaming answer shows, so a spec can tell a streamed answer from one that landed whole. */
  async recordStreaming(): Promise<void> {
    await this.page.evaluate(() => {
      const w = globalThis as unknown as { __streamed: string[]; document: { body: object; querySelector(s: string): { textContent: string | null } | null }; MutationObserver: new (cb: () => void) => { observe(n: object, o: object): void } };
      w.__streamed = [];
      new w.MutationObserver(() => {
        const el = w.document.querySelector('[data-testid="streaming"] .msg__text');
        const t = el?.textContent ?? null;
        if (t !== null && w.__streamed[w.__streamed.length - 1] !== t) w.__streamed.push(t);
      }).observe(w.document.body, { subtree: true, childList: true, characterData: true });
    });
  }

  async streamedTexts(): Promise<string[]> {
    return this.page.evaluate(() => (globalThis as unknown as { __streamed?: string[] }).__streamed ?? []);
  }

  /** Asks a question and waits for its answer to land; returns the answer's message. */
  async ask(question: string): Promise<Locator> {
    const answers = this.chat.locator('[data-testid="chat-message"][data-role="assistant"]');
    const before = await answers.count();
    await this.page.getByTestId('chat-input').fill(question);
    await this.page.getByTestId('chat-send').click();
    await expect(this.chat.locator('[data-testid="chat-message"][data-role="user"]').last()).toHaveText(question);
    await expect(answers).toHaveCount(before + 1);
    await expect(this.page.getByTestId('streaming')).toHaveCount(0);
    return answers.last();
  }

  // ---- capture ----

  get captureSettings(): Locator {
    return this.page.getByTestId('capture-settings');
  }

  get captureSwitch(): Locator {
    return this.page.getByTestId('capture-switch');
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
