// PDFs as pages, through pdf.js's legacy build (the one meant for Node) drawing on @napi-rs/canvas.
// pdf.js runs its worker in-process here, reads fonts and CMaps from its own package and never touches the network.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCanvas } from '@napi-rs/canvas';
import { EngramError } from '../../../contract/errors.js';
import { MODE_SIZE } from '../../../contract/models.js';
import type { PageRenderer, RenderedPage, RenderOptions } from '../types.js';
import { canvasToImage, clearToPaper } from './canvas.js';

type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
type PdfPage = Awaited<ReturnType<Awaited<ReturnType<Pdfjs['getDocument']>['promise']>['getPage']>>;
type RenderParameters = Parameters<PdfPage['render']>[0];

/** A page that takes longer than this is treated as unreadable rather than left to stall the queue. */
const PAGE_TIMEOUT_MS = 60_000;

const requireHere = createRequire(import.meta.url);
let pdfjs: Promise<Pdfjs> | null = null;

function packageFolder(name: string): string {
  return path.join(path.dirname(requireHere.resolve('pdfjs-dist/package.json')), name) + path.sep;
}

function loadPdfjs(): Promise<Pdfjs> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs').then((lib) => {
    // In Node pdf.js runs its "worker" on the main thread by importing this file; an absolute URL survives bundling.
    lib.GlobalWorkerOptions.workerSrc = pathToFileURL(requireHere.resolve('pdfjs-dist/legacy/build/pdf.worker.mjs')).href;
    return lib;
  });
  return pdfjs;
}

function openError(err: unknown): EngramError {
  const e = err as Error;
  if (e?.name === 'PasswordException') return new EngramError('bad_input', 'not a readable PDF: it is password-protected');
  return new EngramError('bad_input', `not a readable PDF: ${e?.message ?? String(err)}`);
}

async function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => void, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new EngramError('bad_input', `not a readable PDF: ${what} took longer than ${ms / 1000} s`));
    }, ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

interface TextPiece {
  str: string;
  hasEOL: boolean;
  transform: number[];
  width: number;
  height: number;
}

/** Reading-order text of a page: pdf.js items joined with newlines where the baseline moves and spaces across gaps. */
async function pageText(page: PdfPage): Promise<string> {
  const content = await page.getTextContent();
  let text = '';
  let prev: TextPiece | null = null;
  for (const item of content.items) {
    if (!('str' in item)) continue;
    const piece = item as TextPiece;
    if (prev && !prev.hasEOL && piece.str !== '') {
      const size = Math.max(1, Math.abs(piece.height || prev.height));
      const [, , , , prevX, prevY] = prev.transform;
      const [, , , , x, y] = piece.transform;
      const lastChar = text[text.length - 1];
      if (Math.abs(y - prevY) > size * 0.5) text += '\n';
      else if (x - (prevX + prev.width) > size * 0.15 && lastChar !== ' ' && lastChar !== '\n' && piece.str[0] !== ' ') text += ' ';
    }
    text += piece.str;
    if (piece.hasEOL) text += '\n';
    if (piece.str !== '' || piece.hasEOL) prev = piece;
  }
  return text.replace(/[ \t]+\n/g, '\n').trim();
}

export async function* renderPdf(bytes: Uint8Array, opts: RenderOptions): AsyncGenerator<RenderedPage> {
  opts.signal?.throwIfAborted();
  const lib = await loadPdfjs();
  const task = lib.getDocument({
    // A copy: pdf.js transfers the buffer to its worker, which would empty the caller's bytes.
    data: new Uint8Array(bytes),
    standardFontDataUrl: packageFolder('standard_fonts'),
    cMapUrl: packageFolder('cmaps'),
    cMapPacked: true,
    iccUrl: packageFolder('iccs'),
    wasmUrl: packageFolder('wasm'),
    useSystemFonts: false,
    isEvalSupported: false,
    verbosity: lib.VerbosityLevel.ERRORS,
  });
  let doc: Awaited<typeof task.promise>;
  try {
    doc = await withTimeout(task.promise, PAGE_TIMEOUT_MS, () => void task.destroy(), 'opening it');
  } catch (err) {
    await task.destroy();
    if (err instanceof EngramError) throw err;
    throw openError(err);
  }
  try {
    const size = MODE_SIZE[opts.mode];
    const pages = doc.numPages;
    // One canvas per document: pdf.js draws asynchronously, so it cannot share the synchronous renderers' pool.
    const canvas = createCanvas(size, size);
    const ctx = canvas.getContext('2d');
    for (let n = 1; n <= pages; n++) {
      opts.signal?.throwIfAborted();
      let textLayer: string;
      try {
        const page = await doc.getPage(n);
        const natural = page.getViewport({ scale: 1 });
        const viewport = page.getViewport({ scale: size / Math.max(natural.width, natural.height) });
        clearToPaper(ctx, size, size);
        const drawing = page.render({
          canvas: null,
          // @napi-rs/canvas implements the 2D context pdf.js needs; the DOM type it is declared with does not exist in Node.
          canvasContext: ctx as unknown as RenderParameters['canvasContext'],
          viewport,
          transform: [1, 0, 0, 1, Math.floor((size - viewport.width) / 2), Math.floor((size - viewport.height) / 2)],
          background: '#ffffff',
        });
        await withTimeout(drawing.promise, PAGE_TIMEOUT_MS, () => drawing.cancel(), `page ${n}`);
        textLayer = await pageText(page);
        page.cleanup();
      } catch (err) {
        if (err instanceof EngramError) throw err;
        throw new EngramError('bad_input', `not a readable PDF: page ${n} of ${pages} failed: ${(err as Error).message}`);
      }
      yield { kind: 'pdf', page: n, pages, image: canvasToImage(canvas), textLayer };
    }
  } finally {
    await doc.destroy();
  }
}

export const pdfRenderer: PageRenderer = { kinds: ['pdf'], render: renderPdf };
