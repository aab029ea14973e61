// The timeline's cursor: a slider on the plot's axis, from the first memory through now into a year of "what if",
// with one-click stops. Moves are debounced so dragging asks the engine for the moment you stop on, not every pixel.
import { useEffect, useState } from 'react';
import { CURSOR_MAX, daysCursor, nowCursor, type Axis } from '../../store/timelineSlice';
import { PLOT_PAD } from './TimelinePlot';

export function TimeSlider({ axis, cursor, label, onSeek }: { axis: Axis; cursor: number; label: string; onSeek(cursor: number): void }) {
  const [value, setValue] = useState(cursor);
  useEffect(() => setValue(cursor), [cursor]);
  useEffect(() => {
    if (value === cursor) return;
    const t = setTimeout(() => onSeek(value), 140);
    return () => clearTimeout(t);
  }, [value, cursor, onSeek]);

  const stops: [string, number][] = [
    ...(axis.start !== null ? ([['First memory', 0]] as [string, number][]) : []),
    ['Now', nowCursor(axis)],
    ['+1 week', daysCursor(axis, 7)],
    ['+1 month', daysCursor(axis, 30)],
    ['+1 year', CURSOR_MAX],
  ];

  return (
    <div className="tl-slider">
      <div className="tl-slider__track" style={{ paddingLeft: PLOT_PAD.left - 8, paddingRight: PLOT_PAD.right - 8 }}>
        <input
          type="range"
          min={0}
          max={CURSOR_MAX}
          step={1}
          value={value}
          onChange={(e) => setValue(Number(e.currentTarget.value))}
          aria-label="Moment on the timeline"
          aria-valuetext={label}
          data-testid="timeline-slider"
        />
      </div>
      <div className="tl-slider__stops" role="group" aria-label="Jump to">
        {stops.map(([name, c]) => (
          <button key={name} type="button" className={`btn btn--sm ${value === c ? 'btn--primary' : 'btn--secondary'}`} onClick={() => setValue(c)} data-testid={`stop-${name}`}>
            {name}
          </button>
        ))}
      </div>
    </div>
  );
}
