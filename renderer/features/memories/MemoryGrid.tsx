// The bank at a glance: every loaded page memory as a card, grouped by document, newest document first.
// Shows the invitation to drop files when the bank is empty, and "load more" when the bank holds more than is loaded.
import { useCallback } from 'react';
import { useStore } from '../../store';
import { EmptyState } from './EmptyState';
import { MemoryCard } from './MemoryCard';

export function MemoryGrid() {
  const memories = useStore((s) => s.memories);
  const total = useStore((s) => s.total);
  const loaded = useStore((s) => s.memoriesLoaded);
  const open = useCallback((id: string) => void useStore.getState().openDetail(id), []);

  if (!loaded) return <div className="grid-loading" aria-busy="true" />;
  if (memories.length === 0) return <EmptyState />;

  return (
    <section className="memories" aria-labelledby="memories-title">
      <div className="section-head">
        <h1 id="memories-title" className="section-title">
          Memories
        </h1>
        <span className="section-count">
          {memories.length < total ? `${memories.length} of ${total}` : total} {total === 1 ? 'page' : 'pages'}
        </span>
      </div>
      <ul className="grid" data-testid="memory-grid">
        {memories.map((m) => (
          <MemoryCard key={m.id} memory={m} onOpen={open} />
        ))}
      </ul>
      {memories.length < total ? (
        <div className="load-more">
          <button type="button" className="btn btn--secondary" onClick={() => void useStore.getState().loadMoreMemories()}>
            Load more
          </button>
        </div>
      ) : null}
    </section>
  );
}
