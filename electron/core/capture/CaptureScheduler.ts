// Screen capture on a timer: every display, kept only when it changed enough, never from an excluded window,
// checked for sensitive text, chunked by window, stored through the page producer into the bank like a file.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { CaptureSettings, type CaptureChunk, type CaptureOutcome, type CaptureReason, type CaptureState } from '../../contract/capture.js';
import type { Memory, Mode } from '../../contract/models.js';
import type { PageProducer } from '../ingest/PageProducer.js';
import type { MemoryBank, NewPage } from '../memory/MemoryBank.js';
import type { ActiveWindowReader } from './activeWindow.js';
import { ChunkLog } from './chunks.js';
import { captureCosts, type CostMeter } from './cost.js';
import { compareFrames, decodeFrame, newText, redact, toPng, type Frame } from './frame.js';
import { KnownText, type KnownTextRead } from './knownText.js';
import type { TextReader } from './ocr.js';
import { cutoffFor, DEFAULT_EXCLUSIONS, excludedBy, findSensitive, type Box, type SensitiveKind, type WindowInfo, type Word } from './privacy.js';
import type { Display, Presence, Screenshotter } from './screens.js';

export const DEFAULT_CAPTURE: CaptureSettings = {
  enabled: false,
  intervalSeconds: 10,
  exclusions: DEFAULT_EXCLUSIONS,
  sensitiveAction: 'redact',
  retentionDays: 30,
};
const SETTINGS_KEY = 'capture';
/** Below this share of 4x4 cells changed the screen counts as unchanged: a clock or a cursor, not new content. */
export const MIN_CHANGE_FRACTION = 0.001;
const RETENTION_EVERY_MS = 60 * 60 * 1000;

export interface CaptureSchedulerOptions {
  bank: MemoryBank;
  producer: PageProducer;
  dataDir: string;
  now: () => number;
  mode: () => Mode;
  /** Engram's global pause (the tray): capture waits too. */
  paused: () => boolean;
  screenshotter: Screenshotter;
  presence: Presence;
  activeWindow: ActiveWindowReader;
  /** Resolved once, lazily: null means no reader, and keyframes are then dropped rather than stored unchecked. */
  textReader: () => Promise<TextReader | null>;
  onMemories?: (memories: Memory[]) => void;
  onRemoved?: (ids: string[]) => void;
  onTaken?: (outcome: CaptureOutcome) => void;
  onChanged?: (state: CaptureState) => void;
  minChangeFraction?: number;
  /** Where each step's CPU is counted (bench:capture reads it); the process-wide meter unless given. */
  costs?: CostMeter;
}

export class CaptureScheduler {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private dueAt: number | null = null;
  /** The app asked for background capture (start); it runs while the settings say enabled. */
  private started = false;
  private abort = new AbortController();
  private turn: Promise<unknown> = Promise.resolve();
  /** Per display, the last frame capture acted on (stored, chunked or refused): slow change accumulates against it. */
  private readonly ref = new Map<string, Frame>();
  /** Per display, the last frame the sensitive filter read, and what it found there: only new text is read again. */
  private readonly checked = new Map<string, { frame: Frame; found: { kind: SensitiveKind; box: Box }[] }>();
  /** Words read before, by their exact pixels: only words never seen are read again. */
  private readonly known = new KnownText();
  private lastRetention = -Infinity;
  private last: CaptureState['lastCapture'] = null;
  private readerName: string | null = null;
  readonly chunks: ChunkLog;
  private readonly costs: CostMeter;

  constructor(private readonly o: CaptureSchedulerOptions) {
    this.chunks = new ChunkLog(join(o.dataDir, 'capture', 'chunks.jsonl'));
    this.costs = o.costs ?? captureCosts;
  }

  settings(): CaptureSettings {
    const saved = this.o.bank.getSetting<Partial<CaptureSettings>>(SETTINGS_KEY) ?? {};
    const merged = { ...DEFAULT_CAPTURE, ...saved, exclusions: { ...DEFAULT_CAPTURE.exclusions, ...(saved.exclusions ?? {}) } };
    const parsed = CaptureSettings.safeParse(merged);
    return parsed.success ? parsed.data : DEFAULT_CAPTURE;
  }

  setSettings(patch: Partial<CaptureSettings>): CaptureState {
    const next = CaptureSettings.parse({ ...this.settings(), ...patch });
    this.o.bank.setSetting(SETTINGS_KEY, next);
    // Off means off now: the timer stops and a capture in flight is abandoned before it reaches the bank.
    if (!next.enabled) this.halt();
    else if (this.started) this.restart();
    const state = this.state();
    this.o.onChanged?.(state);
    return state;
  }

  state(): CaptureState {
    const s = this.settings();
    return { ...s, capturing: this.started && s.enabled, filter: this.readerName, lastCapture: this.last };
  }

  /** Start the timer when capture is enabled (the app calls this once at start; setSettings later starts and stops it). */
  start(): void {
    this.started = true;
    this.schedule();
    this.o.onChanged?.(this.state());
  }

  /** The engine is closing: no more timers. */
  stop(): void {
    this.started = false;
    this.halt();
  }

  private halt(): void {
    this.dueAt = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.abort.abort(new Error('capture stopped'));
    this.abort = new AbortController();
    this.chunks.closeAll();
  }

  private restart(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.dueAt = null;
    this.schedule();
  }

  private schedule(): void {
    if (!this.started || this.timer) return;
    const s = this.settings();
    if (!s.enabled) return;
    // Keep the cadence: the next capture is due an interval after the last one began, not after it ended.
    const period = s.intervalSeconds * 1000;
    this.dueAt = Math.max(Date.now(), (this.dueAt ?? Date.now()) + period);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tick().finally(() => this.schedule());
    }, this.dueAt - Date.now());
  }

  /** One capture of every display. `manual` (capture --once) runs even while capture is off. Ticks never overlap. */
  tick(manual = false): Promise<CaptureOutcome[]> {
    const run = this.turn.then(() => this.tickNow(manual));
    this.turn = run.catch(() => {});
    return run;
  }

  private async tickNow(manual: boolean): Promise<CaptureOutcome[]> {
    const at = this.o.now();
    const s = this.settings();
    const signal = this.abort.signal;
    if (at - this.lastRetention >= RETENTION_EVERY_MS) this.applyRetention(s.retentionDays, at);
    const outcomes = await this.capture(manual, s, at, signal).catch((err: Error) => [
      signal.aborted ? outcome(at, 'disabled', { detail: 'capture was turned off mid-capture' }) : outcome(at, 'failed', { detail: err.message }),
    ]);
    for (const oc of outcomes) this.o.onTaken?.(oc);
    const last = outcomes.find((x) => x.stored) ?? outcomes[outcomes.length - 1];
    if (last) this.last = { at: last.at, stored: last.stored, reason: last.reason };
    return outcomes;
  }

  private async capture(manual: boolean, s: CaptureSettings, at: number, signal: AbortSignal): Promise<CaptureOutcome[]> {
    if (!manual && (!s.enabled || !this.started)) return [outcome(at, 'disabled')];
    if (this.o.paused()) return [outcome(at, 'paused')];
    const presence = await this.costs.step('presence', () => this.o.presence.state());
    if (presence !== 'active') return [outcome(at, presence)];
    const win = await this.costs.step('window', () => this.o.activeWindow());
    const known: WindowInfo = win ?? { app: '', title: '' };
    const ex = excludedBy(known, s.exclusions);
    // An excluded window is never even photographed.
    if (ex) return [outcome(at, ex.reason, { detail: ex.detail, window: win })];

    const base = `${known.app || 'unknown app'} — ${known.title || 'untitled window'}`;
    const displays = await this.costs.step('displays', () => this.o.screenshotter.displays());
    const out: CaptureOutcome[] = [];
    for (const [i, display] of displays.entries()) {
      signal.throwIfAborted();
      // The active window's display is not known here; the first display carries the plain name, others their own.
      const name = i === 0 ? base : `${base} · ${display.name}`;
      out.push(await this.captureDisplay(display, `screen:${name}`, name, win, s, at, signal));
    }
    return out;
  }

  private async captureDisplay(
    display: Display,
    source: string,
    name: string,
    win: WindowInfo | null,
    s: CaptureSettings,
    at: number,
    signal: AbortSignal,
  ): Promise<CaptureOutcome> {
    const base = { window: win, display: display.name, source };
    const shot = await this.costs.step('screenshot', () => this.o.screenshotter.capture(display));
    const frame = await this.costs.step('decode', () => decodeFrame(shot));
    const change = await this.costs.step('compare', () => compareFrames(this.ref.get(display.id) ?? null, frame));
    if (change.fraction < (this.o.minChangeFraction ?? MIN_CHANGE_FRACTION)) return outcome(at, 'unchanged', base);
    this.ref.set(display.id, frame);

    const open = this.chunks.continues(display.id, source, at);
    if (open) {
      this.chunks.addChange(open, at, change.fraction, change.box);
      return outcome(at, 'chunked', { ...base, memoryId: open.memoryId, chunkId: open.id, detail: `${(change.fraction * 100).toFixed(2)}% changed` });
    }

    const reader = await this.reader();
    if (!reader) return outcome(at, 'filter-unavailable', { ...base, detail: 'install tesseract (the sensitive filter) to store captures' });
    const found = await this.findSensitive(reader, display.id, frame);
    signal.throwIfAborted();
    let png: Uint8Array | null = null;
    let sensitive: CaptureOutcome['sensitive'] = null;
    if (found.length) {
      const kinds = [...new Set(found.map((m) => m.kind))];
      if (s.sensitiveAction === 'drop') {
        this.chunks.noteDropped(at, source, kinds);
        return outcome(at, 'sensitive-dropped', { ...base, detail: `found ${kinds.join(', ')}`, sensitive: { kinds, action: 'dropped' } });
      }
      png = await this.costs.step('png', () => redact(frame, found.map((m) => m.box)));
      sensitive = { kinds, action: 'redacted' };
    }

    const image = png ?? (await this.costs.step('png', () => toPng(frame)));
    const stored = await this.costs.step('store', () => this.store(image, source, name, signal));
    if (!stored) return outcome(at, 'duplicate', { ...base, sensitive });
    const chunk = this.chunks.start(display.id, source, stored.id, at, sensitive?.kinds ?? []);
    return outcome(at, 'stored', { ...base, stored: true, memoryId: stored.id, chunkId: chunk.id, sensitive, detail: sensitive ? `redacted ${sensitive.kinds.join(', ')}` : null });
  }

  /** The same path as a file's: render and encode in the page producer, then one document in the bank. */
  private async store(png: Uint8Array, source: string, name: string, signal: AbortSignal): Promise<Memory | null> {
    const contentHash = createHash('sha256').update(png).digest('hex');
    if (this.o.bank.findDocumentByHash(contentHash)) return null;
    const mode = this.o.mode();
    const pages: NewPage[] = [];
    await this.o.producer.produce(png, 'screen.png', mode, signal, {
      total: () => {},
      state: () => {},
      page: (p) => pages.push({ page: p.page, kind: 'screenshot', mode, level: p.level, tokens: p.tokens, count: p.count, dim: p.dim, thumbnail: p.thumbnail, phash: p.phash }),
    });
    signal.throwIfAborted();
    const memories = this.o.bank.addDocument({ source, name, kind: 'screenshot', contentHash, size: png.byteLength, pages: pages.length }, pages);
    this.o.onMemories?.(memories);
    return memories[0] ?? null;
  }

  /**
   * Sensitive text on the frame. Reads only the rows that are new since the last frame it read (a scroll is a
   * shift, not new text), and of those only the words never read before; carries what it found before along with
   * the rows it sits on. OCR is the costly part.
   */
  private async findSensitive(reader: TextReader, display: string, frame: Frame): Promise<{ kind: SensitiveKind; box: Box }[]> {
    const prev = this.checked.get(display);
    const plan = prev ? await this.costs.step('read: find new rows', () => newText(prev.frame, frame, compareFrames(prev.frame, frame).box)) : null;
    let words: Word[] = [];
    let carried: { kind: SensitiveKind; box: Box }[] = [];
    let read: KnownTextRead | null = null;
    if (!plan) words = await this.costs.step('read: OCR (whole screen)', () => reader.read(frame.bytes));
    else {
      if (plan.bands.length) {
        const ocr = (image: Uint8Array) => this.costs.step('read: OCR (unseen words)', () => reader.read(image, { lines: true }));
        read = await this.costs.step('read: words (known or laid out)', () => this.known.read(frame, plan.bands, ocr));
        words = read.words;
      }
      const inBand = (b: Box) => plan.bands.some((band) => b.y < band.y + band.height && b.y + b.height > band.y);
      carried = prev!.found
        .map((f) => ({ kind: f.kind, box: { ...f.box, y: f.box.y - plan.dy } }))
        .filter((f) => f.box.y + f.box.height > 0 && f.box.y < frame.height && !inBand(f.box));
    }
    const found = [...carried, ...findSensitive(words).flatMap((m) => m.boxes.map((box) => ({ kind: m.kind, box })))];
    read?.remember(found.map((f) => f.box));
    this.checked.set(display, { frame, found });
    return found;
  }

  private async reader(): Promise<TextReader | null> {
    const r = await this.o.textReader();
    this.readerName = r?.name ?? null;
    return r;
  }

  /** Captures older than the retention limit are dropped, logged as such; their chunks go with them. */
  applyRetention(days: number, at = this.o.now()): string[] {
    this.lastRetention = at;
    const cutoff = cutoffFor(days, at);
    const old = this.o.bank.forgetRows().filter((r) => r.kind === 'screenshot' && r.source.startsWith('screen:') && r.createdAt < cutoff);
    const iso = new Date(at).toISOString();
    this.o.bank.tx(() => {
      for (const r of old) this.o.bank.deleteMemory(r.id, 'dropped', { reason: `capture retention: older than ${days} days` }, iso);
    });
    const ids = old.map((r) => r.id);
    if (ids.length) this.o.onRemoved?.(ids);
    this.chunks.prune(cutoff, (id) => this.o.bank.getMemory(id) !== null);
    return ids;
  }

  recentChunks(limit: number): CaptureChunk[] {
    // Forgetting may have merged or dropped a keyframe since: a chunk shows only while its memory lives.
    return this.chunks.recent(limit * 2).filter((c) => this.o.bank.getMemory(c.memoryId) !== null).slice(0, limit);
  }
}

function outcome(at: number, reason: CaptureReason, more: Partial<Omit<CaptureOutcome, 'at' | 'reason'>> = {}): CaptureOutcome {
  return {
    at: new Date(at).toISOString(),
    stored: false,
    reason,
    detail: null,
    window: null,
    display: null,
    source: null,
    memoryId: null,
    chunkId: null,
    sensitive: null,
    ...more,
  };
}
