// One remembered page: its thumbnail, source, page N of M and what it cost in vision tokens.
// A real button, so Enter and Space open the detail and focus is visible without extra code.
import { memo } from 'react';
import type { Memory } from '../../../electron/contract';
import { Chip } from '../../components/Chip';
import { Icon } from '../../components/Icon';
import { formatCount } from '../../components/format';

export const MemoryCard = memo(function MemoryCard({ memory, onOpen }: { memory: Memory; onOpen(id: string): void }) {
  const m = memory;
  return (
    <li className="card-cell">
      <button
        type="button"
        className={`card${m.sourceGone ? ' card--gone' : ''}`}
        onClick={() => onOpen(m.id)}
        aria-label={`${m.name}, page ${m.page} of ${m.pages}${m.sourceGone ? ', source gone' : ''}`}
        data-testid="memory-card"
        data-memory-id={m.id}
        data-page={m.page}
        data-pages={m.pages}
      >
        <span className="card__thumb">
          {m.thumbnail ? (
            <img src={m.thumbnail} alt="" loading="lazy" decoding="async" draggable={false} />
          ) : (
            <span className="card__thumb-empty">
              <Icon name="page" size={32} />
            </span>
          )}
          {m.pages > 1 ? <span className="card__pageno">{m.page} / {m.pages}</span> : null}
          {m.sourceGone ? (
            <span className="card__gone" title="The original file was moved or deleted; the memory remains">
              <Icon name="warning" size={14} /> Source gone
            </span>
          ) : null}
        </span>
        <span className="card__body">
          <span className="card__name" title={m.source}>
            {m.name}
          </span>
          <span className="card__meta">
            <span>
              Page {m.page} of {m.pages}
            </span>
            <span title="Vision tokens this page is kept as">{formatCount(m.tokens)} tokens</span>
          </span>
          <span className="card__chips">
            <Chip>{m.kind}</Chip>
            <Chip tone="accent" title={`Encoded at the ${m.mode} mode`}>
              {m.mode}
            </Chip>
            {m.level !== m.mode ? (
              <Chip tone="warn" title={`Faded to ${m.level}: ${m.tokens} vision tokens left`}>
                faded · {m.level}
              </Chip>
            ) : null}
            {m.importance >= 10 ? <Chip tone="ok">pinned</Chip> : null}
          </span>
        </span>
      </button>
    </li>
  );
});
