// The bank at the chosen moment: every memory that exists then, its level as a bar of tokens, its score,
// newest first. A row is a button: choosing one shows it fading on the right.
import type { TimelineMemory } from '../../../electron/contract';
import { Icon } from '../../components/Icon';
import { LevelBar } from '../../components/LevelBar';
import { useStore } from '../../store';

export function MemoriesAt({ memories, selectedId, onSelect }: { memories: TimelineMemory[]; selectedId: string | null; onSelect(id: string): void }) {
  const thumbs = useStore((s) => s.memories);
  const thumbOf = (id: string) => thumbs.find((m) => m.id === id)?.thumbnail ?? null;
  if (memories.length === 0) return <p className="muted tl-none">Nothing is remembered at this moment.</p>;
  return (
    <ul className="tl-list" data-testid="timeline-memories">
      {memories.map((m) => {
        const thumb = thumbOf(m.id);
        return (
          <li key={m.id}>
            <button
              type="button"
              className={`tl-row${m.id === selectedId ? ' is-selected' : ''}`}
              onClick={() => onSelect(m.id)}
              aria-pressed={m.id === selectedId}
              data-testid="timeline-memory"
              data-id={m.id}
              data-name={m.name}
              data-page={m.page}
              data-level={m.level}
              data-tokens={m.tokens}
            >
              <span className="tl-row__thumb">{thumb ? <img src={thumb} alt="" loading="lazy" /> : <Icon name="page" size={18} />}</span>
              <span className="tl-row__name">
                <span className="tl-row__title" title={m.source}>
                  {m.name}
                </span>
                <span className="tl-row__sub">
                  page {m.page} · {m.kind}
                  {m.importance >= 10 ? (
                    <span className="tl-row__pin">
                      <Icon name="pin" size={12} /> pinned
                    </span>
                  ) : (
                    ` · importance ${m.importance}`
                  )}
                </span>
              </span>
              <LevelBar level={m.level} tokens={m.tokens} />
              <span className="tl-row__score" title="Keep score at this moment">
                {m.score.toFixed(2)}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
