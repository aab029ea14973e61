// Refresh: a faded memory whose source file is still there, unchanged, is re-encoded at its own mode,
// back to full fidelity. A changed file is a new version, which ingest (or the watcher) makes instead.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { EngramError } from '../../contract/errors.js';
import type { Memory } from '../../contract/models.js';
import type { PageProducer, ProducedPage } from '../ingest/PageProducer.js';
import type { MemoryBank } from './MemoryBank.js';

export async function refreshMemory(bank: MemoryBank, producer: PageProducer, memory: Memory): Promise<Memory> {
  if (memory.source.startsWith('upload:'))
    throw new EngramError('bad_input', `${memory.name} was dropped into the window, so Engram has no file to refresh it from`);
  let bytes: Buffer;
  try {
    bytes = await readFile(memory.source);
  } catch {
    throw new EngramError('bad_input', `the source file is gone or unreadable: ${memory.source}`);
  }
  const hash = createHash('sha256').update(bytes).digest('hex');
  if (hash !== memory.contentHash)
    throw new EngramError('bad_input', `${memory.source} has changed since this memory was made; ingest it again to remember the new version`);
  let found: ProducedPage | null = null;
  const abort = new AbortController();
  await producer
    .produce(bytes, memory.name, memory.mode, abort.signal, {
      total: () => {},
      state: () => {},
      page: (p) => {
        if (p.page === memory.page) {
          found = p;
          abort.abort(new EngramError('bad_input', 'refresh: page found'));
        }
      },
    })
    .catch((err) => {
      if (!found) throw err;
    });
  const page = found as ProducedPage | null;
  if (!page) throw new EngramError('bad_input', `${memory.source} no longer has a page ${memory.page}`);
  bank.tx(() => bank.setTokens(memory.id, page.level, page.tokens, page.count, page.dim, 'refreshed', { reason: 'refreshed from the source file' }));
  return bank.getMemory(memory.id)!;
}
