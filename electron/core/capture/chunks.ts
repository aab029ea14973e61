// Screen activity in chunks (MMCompressor's idea): a window's captures within 10 s are one memory, its keyframe,
// plus what changed; the bank's event types are fixed, so changes and sensitive drops live in JSON-lines logs here.
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CaptureChunk } from '../../contract/capture.js';
import { newId } from '../memory/MemoryBank.js';
import type { Box } from './privacy.js';

/** A chunk spans at most this long from its keyframe: 30 s of steady change is 3 memories, not 30 captures. */
export const CHUNK_MS = 10_000;
/** "Within 10 s" is inclusive, with a tenth more for timer slack: at the default 10 s interval two captures pair up. */
const WITHIN_MS = CHUNK_MS * 1.1;

interface Open {
  chunk: CaptureChunk;
  startMs: number;
}

/**
 * One open chunk per display. Closed chunks are appended to a JSON-lines file (one line each, keyed by the
 * keyframe's memory id) so the timeline can show them after a restart; nothing in it is image or text.
 */
export class ChunkLog {
  private readonly open = new Map<string, Open>();

  constructor(private readonly file: string) {}

  /** The open chunk this capture continues, or null when it starts a new one (another window, or 10 s passed). */
  continues(display: string, source: string, at: number): CaptureChunk | null {
    const o = this.open.get(display);
    return o && o.chunk.source === source && at - o.startMs <= WITHIN_MS && at >= o.startMs ? o.chunk : null;
  }

  /** A stored keyframe opens a chunk; the display's previous chunk closes. */
  start(display: string, source: string, memoryId: string, at: number, redacted: string[] = []): CaptureChunk {
    this.close(display);
    const iso = new Date(at).toISOString();
    const chunk: CaptureChunk = { id: newId('c'), memoryId, source, display, start: iso, end: iso, frames: 1, redacted, changes: [] };
    this.open.set(display, { chunk, startMs: at });
    return chunk;
  }

  addChange(chunk: CaptureChunk, at: number, fraction: number, box: Box | null): void {
    chunk.frames++;
    chunk.end = new Date(at).toISOString();
    if (box) chunk.changes.push({ at: chunk.end, fraction: Math.round(fraction * 1e5) / 1e5, box });
  }

  close(display: string): void {
    const o = this.open.get(display);
    if (!o) return;
    this.open.delete(display);
    mkdirSync(dirname(this.file), { recursive: true });
    appendFileSync(this.file, `${JSON.stringify(o.chunk)}\n`);
  }

  closeAll(): void {
    for (const d of [...this.open.keys()]) this.close(d);
  }

  /** A capture dropped for sensitive content, logged with its kinds (never the text) beside the chunks. */
  noteDropped(at: number, source: string, kinds: string[]): void {
    mkdirSync(dirname(this.file), { recursive: true });
    appendFileSync(this.droppedFile, `${JSON.stringify({ at: new Date(at).toISOString(), source, kinds, action: 'dropped' })}\n`);
  }

  dropped(): { at: string; source: string; kinds: string[]; action: 'dropped' }[] {
    if (!existsSync(this.droppedFile)) return [];
    return readFileSync(this.droppedFile, 'utf8').split('\n').filter((l) => l.trim()).flatMap((l) => {
      try {
        return [JSON.parse(l)];
      } catch {
        return [];
      }
    });
  }

  private get droppedFile(): string {
    return join(dirname(this.file), 'dropped.jsonl');
  }

  /** Newest first, open chunks included. */
  recent(limit: number): CaptureChunk[] {
    const closed = this.readAll();
    const all = [...closed, ...[...this.open.values()].map((o) => o.chunk)];
    return all.sort((a, b) => b.start.localeCompare(a.start)).slice(0, limit);
  }

  /** Drop chunks older than `cutoff` or whose memory is gone (forgotten, merged, expired). */
  prune(cutoff: number, alive: (memoryId: string) => boolean): number {
    for (const [display, o] of this.open) if (!alive(o.chunk.memoryId)) this.open.delete(display);
    const all = this.readAll();
    const drops = this.dropped();
    const keptDrops = drops.filter((d) => Date.parse(d.at) >= cutoff);
    if (keptDrops.length !== drops.length) writeFileSync(this.droppedFile, keptDrops.map((d) => `${JSON.stringify(d)}\n`).join(''));
    const keep = all.filter((c) => Date.parse(c.start) >= cutoff && alive(c.memoryId));
    if (keep.length === all.length) return 0;
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, keep.map((c) => `${JSON.stringify(c)}\n`).join(''));
    renameSync(tmp, this.file);
    return all.length - keep.length;
  }

  private readAll(): CaptureChunk[] {
    if (!existsSync(this.file)) return [];
    const out: CaptureChunk[] = [];
    for (const line of readFileSync(this.file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        out.push(JSON.parse(line) as CaptureChunk);
      } catch {
        // a line cut short by a crash: the rest of the log still reads
      }
    }
    return out;
  }
}
