// One memory an answer used: its thumbnail, source, page, how faded it was and when it was made.
// Clicking opens the memory's detail, which shows its decoded text and whether its source can still be opened.
import type { Citation } from '../../../electron/contract';
import { formatDate } from '../../components/format';
import { Icon } from '../../components/Icon';
import { LevelBar } from '../../components/LevelBar';
import { useStore } from '../../store';

export function CitationCard({ citation: c, n }: { citation: Citation; n: number }) {
  return (
    <li>
      <button
        type="button"
        className="cite"
        onClick={() => void useStore.getState().openDetail(c.id)}
        data-testid="citation"
        data-id={c.id}
        data-name={c.name}
        data-page={c.page}
        data-level={c.level}
        aria-label={`Source ${n}: ${c.name}, page ${c.page} of ${c.pages}, ${c.level}`}
      >
        <span className="cite__n">{n}</span>
        <span className="cite__thumb">{c.thumbnail ? <img src={c.thumbnail} alt="" loading="lazy" /> : <Icon name="page" size={18} />}</span>
        <span className="cite__body">
          <span className="cite__name" title={c.source}>
            {c.name}
          </span>
          <span className="cite__meta">
            page {c.page} of {c.pages} · remembered {formatDate(c.createdAt)}
            {c.sourceGone ? ' · source gone' : ''}
          </span>
          <LevelBar level={c.level} tokens={c.tokens} compact />
        </span>
      </button>
    </li>
  );
}
