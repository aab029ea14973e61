// The shapes that pass between ingest stages: discovered -> rendered -> encoded -> stored.
// Renderers produce RenderedPage; the optical encoder consumes its image; the bank stores the result.
import type { Mode, PageKind } from '../../contract/models.js';

/** One page as pixels: 8-bit RGBA, row-major, width*height*4 bytes. */
export interface PageImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

export interface RenderedPage {
  kind: PageKind;
  /** 1-based. */
  page: number;
  /** Total pages of the document, once known. */
  pages: number;
  /** The page at the square size the mode's encoder sees (MODE_SIZE), white-padded, aspect kept. */
  image: PageImage;
  /** The text a format carries (PDF text layer, text, code, markdown source, DOCX text); null for images.
   *  Used to train and to score; never stored as the memory. */
  textLayer: string | null;
}

export interface RenderOptions {
  mode: Mode;
  /** Stop early (cancel): renderers check it between pages. */
  signal?: AbortSignal;
  /** The file's name, when the path does not carry it (an upload). */
  name?: string;
}

/** A renderer for one family of formats. `render` yields pages in order; it throws EngramError('bad_input') for files it cannot read. */
export interface PageRenderer {
  kinds: readonly PageKind[];
  render(bytes: Uint8Array, opts: RenderOptions): AsyncIterable<RenderedPage>;
}
