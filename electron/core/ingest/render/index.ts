// The renderers' public face: what kind a file is, and its pages as square images with their text.
// The ingest queue calls only this module; which library draws which format stays behind it.
import path from 'node:path';
import type { PageKind } from '../../../contract/models.js';
import type { PageRenderer, RenderedPage, RenderOptions } from '../types.js';
import { codeRenderer } from './code.js';
import { detectKind } from './detect.js';
import { docxRenderer } from './docx.js';
import { renderImage } from './image.js';
import { markdownRenderer } from './markdown.js';
import { pdfRenderer } from './pdf.js';
import { textRenderer } from './text.js';

export { canvasToImage, makeThumbnail } from './canvas.js';
export { detectKind, SUPPORTED_EXTENSIONS } from './detect.js';

const RENDER: Record<PageKind, PageRenderer['render']> = {
  pdf: pdfRenderer.render,
  text: textRenderer.render,
  markdown: markdownRenderer.render,
  code: codeRenderer.render,
  docx: docxRenderer.render,
  image: (bytes, opts) => renderImage(bytes, opts, 'image'),
  screenshot: (bytes, opts) => renderImage(bytes, opts, 'screenshot'),
};

export interface RenderDocumentOptions extends RenderOptions {
  /** The file's name: its extension picks the renderer (and the code language). */
  name: string;
  /** Skip detection, for callers that already know (a screen capture is a PNG stamped 'screenshot'). */
  kind?: PageKind;
}

/**
 * Every page of a document, in order, drawn at MODE_SIZE[mode] square. `pages` is known from the first page on.
 * Stops between pages once `signal` aborts, throwing its reason; unreadable input throws EngramError('bad_input').
 * Each family maps its library's failures to bad_input; anything else escaping is a bug of ours, left as is.
 */
export async function* renderDocument(bytes: Uint8Array, opts: RenderDocumentOptions): AsyncGenerator<RenderedPage> {
  opts.signal?.throwIfAborted();
  const kind = opts.kind ?? detectKind(opts.name, bytes);
  yield* RENDER[kind](bytes, { mode: opts.mode, signal: opts.signal, name: path.basename(opts.name) });
}
