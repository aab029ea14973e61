// Shared by the optical tests: the committed pack's folder, a broken copy of it, and pages drawn by Engram's renderers.
// Pages use text written here (not training text), so a test never scores the pack on what it learnt from.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import type { Mode } from '../../../electron/contract/models.js';
import { renderDocument } from '../../../electron/core/ingest/render/index.js';
import type { RenderedPage } from '../../../electron/core/ingest/types.js';

export const PACK_DIR = resolve(__dirname, '../../../native-models/packs/engram-optical');
/** A grid pack (the lossless test codec of the chat tests), for what only grid packs have. */
export const GRID_PACK_DIR = resolve(__dirname, '../../fixtures/chat/codec-pack');

/** A scratch copy of a pack (the committed one by default) that a test may break; `writeManifest` rewrites manifest.json. */
export function packCopy(from = PACK_DIR): { dir: string; manifest: () => any; writeManifest: (m: any) => void; rehash: (key: string) => void; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'engram-pack-'));
  cpSync(from, dir, { recursive: true });
  const mpath = join(dir, 'manifest.json');
  const manifest = () => JSON.parse(readFileSync(mpath, 'utf8'));
  const writeManifest = (m: any) => writeFileSync(mpath, JSON.stringify(m, null, 2));
  return {
    dir,
    manifest,
    writeManifest,
    rehash(key) {
      const m = manifest();
      const buf = readFileSync(join(dir, m.files[key].path));
      m.files[key].sha256 = createHash('sha256').update(buf).digest('hex');
      m.files[key].bytes = buf.length;
      writeManifest(m);
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export const PROSE = `Memory is not a recording. Each time we recall a page we rebuild it from a few traces,
and what fades first is the detail: the exact words go, the gist stays. Engram keeps every page it reads as a
handful of vision tokens and lets them fade on purpose, so that old pages cost less and less to keep.
The quick brown fox jumps over the lazy dog while twelve wizards box five jumping quails.
A second paragraph follows here, with numbers like 1024, 3.14159 and 42, and punctuation: (a), [b], {c}; d!
Ordinary sentences about gardens, weather and trains make up most of what a person reads in a week.`;

export async function renderText(text: string, mode: Mode, name = 'note.txt'): Promise<RenderedPage[]> {
  const pages: RenderedPage[] = [];
  for await (const p of renderDocument(new TextEncoder().encode(text), { mode, name })) pages.push(p);
  return pages;
}
