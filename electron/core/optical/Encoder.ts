// The seam between ingest and the optical model: pages in, vision tokens out.
// Ingest depends on this interface only, so the model pack can change without touching the pipeline.
import type { Mode } from '../../contract/models.js';
import type { PageImage } from '../ingest/types.js';

export interface EncodedPage {
  /** Row-major [count, dim] vision tokens. */
  tokens: Float32Array;
  count: number;
  dim: number;
  /** The ladder level these tokens sit at, e.g. "small" or "gist16". */
  level: string;
}

export interface Encoder {
  readonly name: string;
  /** Which execution provider actually ran ("cpu", "cuda", ...). */
  readonly provider: string;
  /** Why the provider is not the one asked for, if so (e.g. CUDA libraries missing, fell back to CPU). */
  readonly note: string | null;
  encode(pages: PageImage[], mode: Mode): Promise<EncodedPage[]>;
  close(): Promise<void>;
}
