// Messages between the engine and its page worker process (child_process IPC, advanced serialisation,
// so Buffers travel as bytes).
import type { ErrorCode } from '../../contract/errors.js';

export type WorkerRequest =
  | { type: 'render'; id: number; bytes: Uint8Array; name: string; mode: string; encoder: string }
  | { type: 'cancel'; id: number }
  | { type: 'warm'; encoder: string };

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'encoder'; name: string; provider: string; note: string | null }
  | { type: 'total'; id: number; pages: number }
  | { type: 'state'; id: number; state: 'rendering' | 'encoding' }
  | { type: 'page'; id: number; page: number; tokens: Uint8Array; count: number; dim: number; level: string; thumbnail: Uint8Array; phash: string }
  | { type: 'done'; id: number }
  | { type: 'error'; id: number; code: ErrorCode; message: string };
