// The memory timeline: the plot and slider across past and "what if", the bank at the chosen moment with
// tokens used against the budget, the chosen memory fading, and the forgetting curves by importance.
import { useCallback, useEffect } from 'react';
import { formatCount } from '../../components/format';
import { ProgressBar } from '../../components/ProgressBar';
import { useStore } from '../../store';
import { FadingMemory, atLabel } from './FadingMemory';
import { ForgettingCurves } from './ForgettingCurves';
import { MemoriesAt } from './MemoriesAt';
import { ScreenActivity } from './ScreenActivity';
import { TimelinePlot } from './TimelinePlot';
import { TimeSlider } from './TimeSlider';

export function TimelineView() {
  const axis = useStore((s) => s.axis);
  const series = useStore((s) => s.series);
  const curves = useStore((s) => s.curves);
  const cursor = useStore((s) => s.cursor);
  const at = useStore((s) => s.at);
  const atCursor = useStore((s) => s.atCursor);
  const atLoading = useStore((s) => s.atLoading);
  const selectedId = useStore((s) => s.selectedId);
  const chunks = useStore((s) => s.chunks);
  const connection = useStore((s) => s.connection);
  const seek = useCallback((c: number) => void useStore.getState().seek(c), []);
  const select = useCallback((id: string) => void useStore.getState().selectTimelineMemory(id), []);

  useEffect(() => {
    if (connection === 'open') void useStore.getState().loadTimeline();
  }, [connection]);
  // Start with the newest memory chosen, so the fading panel has something to show.
  useEffect(() => {
    if (!selectedId && at?.memories[0]) select(at.memories[0].id);
  }, [selectedId, at, select]);

  if (!axis || !series) return <div className="grid-loading" aria-busy="true" />;
  const used = at ? at.tokens / Math.max(1, at.budget) : 0;

  return (
    <section className="tl" aria-labelledby="timeline-title" data-testid="timeline" data-cursor={cursor} data-at-cursor={atCursor ?? ''} data-kind={at?.kind ?? ''} data-busy={atLoading || atCursor !== cursor}>
      <div className="section-head">
        <h1 id="timeline-title" className="section-title">
          Timeline
        </h1>
        <span className="section-count">{series.start ? 'from your first memory to a year ahead' : 'nothing remembered yet: drop a file to start'}</span>
      </div>

      <div className="tl-card tl-card--plot">
        <div className="tl-moment">
          <div>
            <span className={`tl-moment__kind tl-moment__kind--${at?.kind ?? 'now'}`}>{at?.kind === 'future' ? 'What if' : at?.kind === 'past' ? 'Past' : 'Now'}</span>
            <span className="tl-moment__when" data-testid="timeline-when">
              {at ? atLabel(at) : '…'}
            </span>
          </div>
          {at ? (
            <div className="tl-budget" data-testid="timeline-budget">
              <span className="tl-budget__nums">
                <strong>{formatCount(at.tokens)}</strong> of {formatCount(at.budget)} tokens · {at.memories.length} {at.memories.length === 1 ? 'memory' : 'memories'}
              </span>
              <ProgressBar value={used} label="Tokens used of the bank budget" tone={used > 1 ? 'bad' : 'accent'} size="sm" />
            </div>
          ) : null}
        </div>
        <TimelinePlot axis={axis} points={series.points} budget={series.budget} cursor={cursor} />
        <TimeSlider axis={axis} cursor={cursor} label={at ? atLabel(at) : ''} onSeek={seek} />
      </div>

      <div className="tl-cols">
        <div className="tl-side">
          <section className="tl-card" aria-label="Memories at this moment">
            <header className="tl-card__head">
              <h2 className="tl-card__title">Remembered at this moment</h2>
              {at?.kind === 'future' ? <span className="chip chip--accent">simulated</span> : null}
            </header>
            {at ? <MemoriesAt memories={at.memories} selectedId={selectedId} onSelect={select} /> : null}
          </section>
          <ScreenActivity chunks={chunks} onSelect={select} />
        </div>
        <div className="tl-side">
          {selectedId && at ? <FadingMemory id={selectedId} at={at} /> : null}
          {curves ? (
            <section className="tl-card" aria-labelledby="curves-title">
              <header className="tl-card__head">
                <h2 id="curves-title" className="tl-card__title">
                  Forgetting curves
                </h2>
              </header>
              <ForgettingCurves curves={curves} />
            </section>
          ) : null}
        </div>
      </div>
    </section>
  );
}
