// Steering one memory's forgetting: pin it, set its importance (0-10), refresh it from its source, and see why
// it scores what it does. Used by the memory detail and the timeline alike; every change goes through the store.
import { useEffect, useState } from 'react';
import type { ScoreParts } from '../../../electron/contract';
import { Icon } from '../../components/Icon';
import { useStore } from '../../store';

const PARTS: [keyof Omit<ScoreParts, 'total' | 'pinned'>, string, string][] = [
  ['manual', 'Importance', 'Your importance, 0-10, as a share'],
  ['recency', 'Recency', 'Halves every half-life since it was made or last used'],
  ['use', 'Use', 'Grows each time an answer cites it'],
];

export function ScoreBreakdown({ score }: { score: ScoreParts }) {
  return (
    <div className="score" data-testid="score" aria-label={`Keep score ${score.total.toFixed(2)}`}>
      <div className="score__total">
        <span className="score__label">Keep score now</span>
        <span className="score__value">{score.total.toFixed(2)}</span>
        {score.pinned ? <span className="score__pinned">pinned: never fades</span> : null}
      </div>
      {PARTS.map(([key, label, hint]) => (
        <div key={key} className="score__part" title={hint}>
          <span className="score__name">{label}</span>
          <span className="score__bar">
            <span className="score__fill" style={{ width: `${Math.round(score[key] * 100)}%` }} />
          </span>
          <span className="score__num">{score[key].toFixed(2)}</span>
        </div>
      ))}
    </div>
  );
}

export function MemoryControls({ id, importance, score, sourceExists }: { id: string; importance: number; score: ScoreParts | null; sourceExists: boolean | null }) {
  const [value, setValue] = useState(importance);
  const [busy, setBusy] = useState(false);
  const pinned = score?.pinned ?? importance >= 10;
  useEffect(() => setValue(importance), [importance, id]);
  // Commit a while after the last move, so dragging the slider is one change, not twenty.
  useEffect(() => {
    if (value === importance) return;
    const t = setTimeout(() => void useStore.getState().setImportance(id, value), 450);
    return () => clearTimeout(t);
  }, [value, importance, id]);

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    await fn();
    setBusy(false);
  };

  return (
    <div className="controls" data-testid="memory-controls">
      <div className="controls__row">
        <button
          type="button"
          className={`btn btn--sm ${pinned ? 'btn--primary' : 'btn--secondary'}`}
          aria-pressed={pinned}
          disabled={busy}
          onClick={() => void run(() => useStore.getState().pinMemory(id, !pinned))}
          data-testid="pin"
          title={pinned ? 'Unpin: let it fade again, at the importance it had' : 'Pin: never fade or drop this page'}
        >
          <Icon name="pin" size={15} /> {pinned ? 'Pinned' : 'Pin'}
        </button>
        <button
          type="button"
          className="btn btn--sm btn--secondary"
          disabled={busy || !sourceExists}
          onClick={() => void run(() => useStore.getState().refreshMemory(id))}
          data-testid="refresh"
          title={sourceExists ? 'Re-read the page from its file at full detail' : sourceExists === null ? 'Checking the source…' : 'No source file to refresh from: it is gone or changed, or the page was dropped into a browser window'}
        >
          <Icon name="refresh" size={15} /> Refresh from source
        </button>
      </div>
      <label className="importance">
        <span className="importance__label">Importance</span>
        <input
          type="range"
          min={0}
          max={10}
          step={0.5}
          value={value}
          disabled={busy}
          onChange={(e) => setValue(Number(e.currentTarget.value))}
          aria-valuetext={`${value} of 10${value >= 10 ? ', pinned' : ''}`}
          data-testid="importance"
        />
        <span className="importance__value">{value.toFixed(1)}</span>
      </label>
      {score ? <ScoreBreakdown score={score} /> : null}
    </div>
  );
}
