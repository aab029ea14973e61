// The detail of one memory: its page, the text its tokens decode to, how to steer its forgetting, its history (memory.get).
// Where its source file still exists it says so and where it is; a browser cannot open files, so it shows the path.
import type { MemoryEvent } from '../../../electron/contract';
import { Chip } from '../../components/Chip';
import { DecodedText } from '../../components/DecodedText';
import { Drawer } from '../../components/Drawer';
import { Icon } from '../../components/Icon';
import { formatCount, formatDate } from '../../components/format';
import { LadderSteps } from '../../components/LevelBar';
import { useStore } from '../../store';
import { MemoryControls } from './MemoryControls';

const EVENT_LABEL: Record<MemoryEvent['type'], string> = {
  created: 'Remembered',
  accessed: 'Looked at',
  importance_changed: 'Importance changed',
  faded: 'Faded',
  merged: 'Merged',
  dropped: 'Dropped',
  source_gone: 'Source gone',
  superseded: 'Superseded by a newer version',
  refreshed: 'Refreshed from its source',
};

/** What the panel already shows above; repeating it under every event is noise. */
const SHOWN = new Set(['source', 'name', 'page', 'pages', 'kind', 'mode', 'documentId', 'contentHash']);

function eventDetail(e: MemoryEvent): string | null {
  const entries = Object.entries(e.data).filter(([k, v]) => !SHOWN.has(k) && v !== null && v !== undefined && typeof v !== 'object');
  return entries.length ? entries.slice(0, 4).map(([k, v]) => `${k}: ${String(v)}`).join(' · ') : null;
}

export function MemoryDetail() {
  const detail = useStore((s) => s.detail);
  const close = useStore((s) => s.closeDetail);
  const transport = useStore((s) => s.info?.transport ?? null);
  if (!detail) return null;
  const m = detail.memory;

  return (
    <Drawer title={m ? m.name : 'Memory'} subtitle={m ? `Page ${m.page} of ${m.pages}` : undefined} onClose={close} wide testId="memory-detail">
      {m ? (
        <>
          <figure className="detail__page">
            {m.thumbnail ? <img src={m.thumbnail} alt={`Page ${m.page} of ${m.name}`} /> : <Icon name="page" size={48} />}
          </figure>
          <div className="detail__chips">
            <Chip>{m.kind}</Chip>
            <Chip tone="accent">{m.mode}</Chip>
            <Chip tone="muted">{formatCount(m.tokens)} vision tokens</Chip>
            {m.sourceGone ? <Chip tone="warn">Source gone</Chip> : null}
          </div>
          <SourceLine source={m.source} exists={detail.sourceExists} transport={transport} />
          <h3 className="detail__h">What it still holds</h3>
          <LadderSteps level={m.level} />
          <DecodedText level={detail.decoded?.level ?? m.level} tokens={detail.decoded?.tokens ?? m.tokens} text={detail.decoded?.text} note={detail.decoded?.note} loading={!detail.decoded} testId="detail-decoded" />
          <h3 className="detail__h">Keep or let fade</h3>
          <MemoryControls id={m.id} importance={m.importance} score={detail.score} sourceExists={detail.sourceExists} />
          <h3 className="detail__h">Facts</h3>
          <dl className="facts">
            <dt>Level</dt>
            <dd>{m.level}</dd>
            <dt>Importance</dt>
            <dd>
              {m.importance.toFixed(1)} / 10{detail.score?.pinned ? ' · pinned' : ''}
            </dd>
            <dt>Token size</dt>
            <dd>{detail.tokenDim ? `${formatCount(m.tokens)} × ${detail.tokenDim}` : formatCount(m.tokens)}</dd>
            <dt>Remembered</dt>
            <dd>{formatDate(m.createdAt)}</dd>
            <dt>Last looked at</dt>
            <dd>{formatDate(m.lastAccessAt)}</dd>
            <dt>Looked at</dt>
            <dd>
              {m.accessCount} {m.accessCount === 1 ? 'time' : 'times'}
            </dd>
            <dt>Version</dt>
            <dd>{m.version}</dd>
            <dt>Content hash</dt>
            <dd className="facts__mono" title={m.contentHash}>
              {m.contentHash.slice(0, 16)}…
            </dd>
          </dl>
        </>
      ) : null}
      <h3 className="detail__h">History</h3>
      {detail.loading ? <p className="muted">Loading…</p> : null}
      {detail.error ? (
        <p className="error-text" role="alert">
          {detail.error}
        </p>
      ) : null}
      {!detail.loading && !detail.error && detail.events.length === 0 ? <p className="muted">No events yet.</p> : null}
      <ol className="timeline">
        {[...detail.events].reverse().map((e) => (
          <li key={e.id} className={`timeline__item timeline__item--${e.type}`}>
            <span className="timeline__dot" aria-hidden="true" />
            <span className="timeline__what">{EVENT_LABEL[e.type] ?? e.type}</span>
            <time className="timeline__when" dateTime={e.at}>
              {formatDate(e.at)}
            </time>
            {eventDetail(e) ? <span className="timeline__data">{eventDetail(e)}</span> : null}
          </li>
        ))}
      </ol>
    </Drawer>
  );
}

/** Where the page came from; whether the file is still there (so it can be opened, or refreshed from). */
function SourceLine({ source, exists, transport }: { source: string; exists: boolean | null; transport: string | null }) {
  const uploaded = source.startsWith('upload:');
  return (
    <div className={`source${exists === false ? ' source--gone' : ''}`} data-testid="detail-source" data-exists={exists === null ? '' : String(exists)}>
      <Icon name={exists === false ? 'warning' : 'page'} size={16} />
      <div className="source__body">
        <span className="source__path" title={source}>
          {source}
        </span>
        <span className="source__hint">
          {exists === null
            ? 'Checking the source…'
            : exists
              ? transport === 'ipc'
                ? 'The source file is still here.'
                : 'The source file is still here; open it from your file manager (a browser window cannot open local files).'
              : uploaded
                ? 'Dropped into a browser window: Engram kept the page, not the file.'
                : 'The source file is gone or moved; the memory remains.'}
        </span>
      </div>
    </div>
  );
}
