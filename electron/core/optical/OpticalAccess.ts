// The engine's lazy handle on the model pack for reading memories back: the decoder (loaded on first use) and
// the pack's measured fidelity per level. Without a usable pack it says why instead of failing the caller.
import { MODE_TOKENS, type Memory, type Mode } from '../../contract/models.js';
import type { Decoder } from './Decoder.js';
import { LADDER, recompress, type LevelName, type Recompress } from './ladder.js';

export interface DecodeResult {
  level: string;
  tokens: number;
  text: string | null;
  note: string | null;
}

export class OpticalAccess {
  private decoder: Promise<Decoder> | null = null;
  private ladder: Promise<Recompress | null> | null = null;
  private metrics: Record<string, unknown> | null | undefined;

  constructor(private readonly packDir?: string) {}

  /** Char accuracy measured for the pack at a level (manifest metrics.charAccuracy[mode][level] or [level]);
   *  null until loadMetrics() has read the pack, or where the pack did not measure it. */
  fidelityAt(level: string, mode: Mode): number | null {
    const acc = (this.metrics?.charAccuracy ?? null) as Record<string, unknown> | null;
    if (!acc) return null;
    const byMode = acc[mode] as Record<string, number> | undefined;
    const v = (byMode && typeof byMode === 'object' ? byMode[level] : undefined) ?? (acc[level] as number | undefined);
    return typeof v === 'number' ? v : null;
  }

  /** Warm the metrics cache (fidelityAt answers null until it is loaded). */
  async loadMetrics(): Promise<void> {
    if (this.metrics !== undefined) return;
    const { loadModelPack, defaultPackDir } = await import('./index.js');
    try {
      this.metrics = (loadModelPack(this.packDir ?? defaultPackDir()).manifest.metrics as Record<string, unknown>) ?? null;
    } catch {
      this.metrics = null;
    }
  }

  private getDecoder(): Promise<Decoder> {
    if (!this.decoder) {
      this.decoder = import('./index.js').then(({ loadDecoder }) => loadDecoder({ packDir: this.packDir }));
      this.decoder.catch(() => {
        this.decoder = null; // a later call may find the pack repaired
      });
    }
    return this.decoder;
  }

  /** A span pack's own step down the ladder (decode and re-encode); null where the grid ladder (recompress) applies. */
  spanLadder(): Promise<Recompress | null> {
    if (!this.ladder) {
      this.ladder = import('./index.js').then(({ loadSpanLadder }) => loadSpanLadder({ packDir: this.packDir }));
      this.ladder.catch(() => {
        this.ladder = null;
      });
    }
    return this.ladder;
  }

  /** Decode a memory's tokens, faded further to `level` first when asked (the timeline's "what if"). */
  async decodeAt(memory: Memory, t: { tokens: Float32Array; count: number; dim: number }, level?: string): Promise<DecodeResult> {
    let page = { tokens: t.tokens, count: t.count, dim: t.dim, level: memory.level };
    let note: string | null = null;
    if (level && level !== memory.level) {
      const want = LADDER.findIndex((l) => l.name === level);
      const have = LADDER.findIndex((l) => l.name === memory.level);
      if (want < 0) throw new Error(`unknown level ${level}`);
      if (want > have) {
        const step = await this.spanLadder();
        page = step ? await step(page, level as LevelName) : recompress(page, level as LevelName);
      }
      else note = `the finer tokens of level ${level} were forgotten; this is what level ${memory.level} still holds`;
    }
    let decoder: Decoder;
    try {
      decoder = await this.getDecoder();
    } catch (err) {
      return { level: page.level, tokens: page.count, text: null, note: `no decoder: ${(err as Error).message}` };
    }
    const dim = decoder.pack.manifest.levels[0].dim;
    if (page.dim !== dim)
      return { level: page.level, tokens: page.count, text: null, note: `these tokens (dim ${page.dim}) were not made by this model pack (dim ${dim}), so they cannot be decoded` };
    const text = await decoder.decode(page.tokens, page.count, page.dim, { nativeCount: MODE_TOKENS[memory.mode] });
    return { level: page.level, tokens: page.count, text, note };
  }

  async close(): Promise<void> {
    this.decoder = null;
    this.ladder = null;
  }
}
