// Reads a capture's words for the sensitive filter only (never stored). The native tesseract command: ~0.3 s CPU
// per read here with word boxes for redaction; tesseract.js measured 3-5x slower, the optical decoder is still training.
import { execFile } from 'node:child_process';
import type { Word } from './privacy.js';

export interface TextReader {
  /** 'tesseract 5.3.0', for the settings view. */
  readonly name: string;
  /** The words in a PNG or BMP, boxes in its pixels. `lines`: the image is stacked lines of text, not a screen. */
  read(image: Uint8Array, opts?: { lines?: boolean }): Promise<Word[]>;
}

const TESSERACT = process.env.ENGRAM_TESSERACT ?? 'tesseract';

/** The tesseract reader where the command exists, else null (the caller decides what an unchecked capture means). */
export async function findTextReader(): Promise<TextReader | null> {
  const version = await run(TESSERACT, ['--version'], null).catch(() => null);
  if (version === null) return null;
  const name = `tesseract ${/tesseract\s+v?([\d.]+)/i.exec(version)?.[1] ?? ''}`.trim();
  return {
    name,
    async read(image, opts) {
      // psm 11 (sparse text) suits a screen's menus, panels and labels; psm 6 (one block) reads stacked lines ~30% faster.
      const tsv = await run(TESSERACT, ['stdin', 'stdout', '--psm', opts?.lines ? '6' : '11', '-l', 'eng', 'tsv'], image);
      return parseTsv(tsv);
    },
  };
}

export function parseTsv(tsv: string): Word[] {
  const words: Word[] = [];
  for (const row of tsv.split('\n').slice(1)) {
    const c = row.split('\t');
    if (c.length < 12 || c[0] !== '5' || !c[11]?.trim()) continue;
    words.push({ text: c[11].trim(), x: +c[6], y: +c[7], width: +c[8], height: +c[9], line: `${c[1]}.${c[2]}.${c[3]}.${c[4]}` });
  }
  return words;
}

function run(cmd: string, args: string[], input: Uint8Array | null): Promise<string> {
  return new Promise((resolve, reject) => {
    // One thread: the filter must not take both cores from whatever the person is doing.
    const child = execFile(cmd, args, { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, maxBuffer: 32 * 1024 * 1024, timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd}: ${stderr?.toString().trim() || err.message}`));
      else resolve(`${stdout}${input === null ? stderr : ''}`);
    });
    if (input) child.stdin!.end(input);
    else child.stdin?.end();
  });
}
