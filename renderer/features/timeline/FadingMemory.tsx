// One memory as it stands at the chosen moment: where it sits on the ladder, and the text its tokens decode to
// at that level, so moving the slider shows it fade. Pin, importance and refresh steer what comes next.
import { useEffect } from 'react';
import type { TimelineAt } from '../../../electron/contract';
import { DecodedText } from '../../components/DecodedText';
import { formatDate } from '../../components/format';
import { LadderSteps } from '../../components/LevelBar';
import { useStore } from '../../store';
import { MemoryControls } from '../memories/MemoryControls';

export function FadingMemory({ id, at }: { id: string; at: TimelineAt }) {
  const here = at.memories.find((m) => m.id === id) ?? null;
  const current = useStore((s) => s.memories.find((m) => m.id === id) ?? null);
  const info = useStore((s) => (s.selectedInfo?.id === id ? s.selectedInfo : null));
  const decoded = useStore((s) => (here ? s.decodedAt[`${id}@${here.level}`] : undefined));
  const name = here?.name ?? current?.name ?? 'Memory';
  const page = here?.page ?? current?.page;

  // Also when the cache was emptied under us (a refresh after a pin or re-encode), not only when the level moves.
  const missing = decoded === undefined;
  useEffect(() => {
    if (here && missing) void useStore.getState().decodeAt(id, here.level);
  }, [id, here?.level, missing]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <section className="tl-card tl-fading" aria-labelledby="fading-title" data-testid="fading-memory" data-id={id} data-level={here?.level ?? ''}>
      <header className="tl-card__head">
        <div>
          <h2 id="fading-title" className="tl-card__title">
            {name}
            {page ? <span className="muted"> · page {page}</span> : null}
          </h2>
          <p className="tl-card__sub">{here ? `${at.kind === 'now' ? 'Now' : at.kind === 'future' ? 'What if, by then' : 'Back then'}: ${here.level}, ${here.tokens} vision tokens` : 'Not in the bank at this moment'}</p>
        </div>
        <button type="button" className="btn btn--sm btn--ghost" onClick={() => void useStore.getState().openDetail(id)} disabled={!current}>
          Details
        </button>
      </header>
      {here ? (
        <>
          <LadderSteps level={here.level} label="Level at this moment" />
          <DecodedText level={here.level} tokens={here.tokens} text={decoded?.text} note={decoded?.note} loading={!decoded} testId="timeline-decoded" />
        </>
      ) : (
        <p className="muted" data-testid="fading-absent">
          {current && Date.parse(current.createdAt) > Date.parse(at.at) ? `Not yet remembered: it arrives ${formatDate(current.createdAt)}.` : 'Dropped or merged by then: nothing of it is left.'}
        </p>
      )}
      {current ? <MemoryControls id={id} importance={current.importance} score={info?.score ?? null} sourceExists={info?.sourceExists ?? null} /> : null}
    </section>
  );
}

export function atLabel(at: Pick<TimelineAt, 'at' | 'kind'>): string {
  if (at.kind === 'now') return `${formatDate(at.at)}, as the bank is`;
  const t = Date.parse(at.at);
  const days = Math.round((t - Date.now()) / 86_400_000);
  if (at.kind === 'future') return `${formatDate(at.at)} (in ${days} ${days === 1 ? 'day' : 'days'}, what if)`;
  return formatDate(at.at);
}
