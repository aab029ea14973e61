// Tokens and memory count over time, drawn as SVG on the slider's own axis: the past from the event log, then
// "what if" under today's settings. The budget line, "now" and the chosen moment are marked.
import type { TimelinePoint } from '../../../electron/contract';
import { formatCount } from '../../components/format';
import { useWidth } from '../../components/useWidth';
import { CURSOR_MAX, daysCursor, nowCursor, timeCursor, type Axis } from '../../store/timelineSlice';

export const PLOT_PAD = { left: 56, right: 48 };
const H = 210;
const TOP = 18;
const BOTTOM = 28;

const TICKS: [number, string][] = [
  [7, '+1 week'],
  [30, '+1 month'],
  [91, '+3 months'],
  [182, '+6 months'],
  [365, '+1 year'],
];

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

export function TimelinePlot({ axis, points, budget, cursor }: { axis: Axis; points: TimelinePoint[]; budget: number; cursor: number }) {
  const [ref, width] = useWidth<HTMLDivElement>(900);
  const innerW = Math.max(100, width - PLOT_PAD.left - PLOT_PAD.right);
  const x = (c: number) => PLOT_PAD.left + (c / CURSOR_MAX) * innerW;
  const y0 = H - BOTTOM;
  const maxTokens = Math.max(1, ...points.map((p) => p.tokens));
  // Draw the budget on the scale only when it is near the data; a far-off budget would flatten everything.
  const budgetOnScale = budget <= maxTokens * 2.5;
  const tMax = niceMax(budgetOnScale ? Math.max(maxTokens, budget) * 1.05 : maxTokens * 1.1);
  const mMax = niceMax(Math.max(1, ...points.map((p) => p.memories)) * 1.1);
  const yT = (v: number) => y0 - ((y0 - TOP) * v) / tMax;
  const yM = (v: number) => y0 - ((y0 - TOP) * v) / mMax;

  const xy = points.map((p) => ({ cx: x(timeCursor(axis, Date.parse(p.at))), p }));
  const tokenLine = xy.map(({ cx, p }, i) => `${i ? 'L' : 'M'}${cx.toFixed(1)},${yT(p.tokens).toFixed(1)}`).join('');
  const tokenArea = xy.length ? `${tokenLine}L${xy[xy.length - 1].cx.toFixed(1)},${y0}L${xy[0].cx.toFixed(1)},${y0}Z` : '';
  const memLine = xy.map(({ cx, p }, i) => `${i ? 'L' : 'M'}${cx.toFixed(1)},${yM(p.memories).toFixed(1)}`).join('');
  const nowX = x(nowCursor(axis));
  const curX = x(cursor);

  return (
    <div ref={ref} className="tl-plot" data-testid="timeline-plot">
      <svg width={width} height={H} role="img" aria-label={`Vision tokens and memories over time; budget ${formatCount(budget)} tokens`}>
        <defs>
          <linearGradient id="tl-area" x1="0" x2="0" y1="0" y2="1">
            <stop offset="0%" stopColor="var(--accent)" stopOpacity="0.32" />
            <stop offset="100%" stopColor="var(--accent)" stopOpacity="0.02" />
          </linearGradient>
          <pattern id="tl-future" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="8" height="8" fill="var(--surface-2)" />
            <line x1="0" y1="0" x2="0" y2="8" stroke="var(--line)" strokeWidth="3" />
          </pattern>
        </defs>
        <rect x={nowX} y={TOP - 8} width={x(CURSOR_MAX) - nowX} height={y0 - TOP + 8} fill="url(#tl-future)" />
        <text x={nowX + 8} y={TOP + 4} className="tl-plot__zone">
          what if · today’s settings
        </text>
        {axis.start !== null ? (
          <text x={PLOT_PAD.left + 4} y={TOP + 4} className="tl-plot__zone">
            from the event log
          </text>
        ) : null}
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={PLOT_PAD.left} x2={x(CURSOR_MAX)} y1={yT(tMax * f)} y2={yT(tMax * f)} className="tl-plot__grid" />
            <text x={PLOT_PAD.left - 8} y={yT(tMax * f) + 4} className="tl-plot__tick tl-plot__tick--tokens" textAnchor="end">
              {formatCount(Math.round(tMax * f))}
            </text>
            <text x={x(CURSOR_MAX) + 8} y={yM(mMax * f) + 4} className="tl-plot__tick tl-plot__tick--mem">
              {formatCount(Math.round(mMax * f))}
            </text>
          </g>
        ))}
        <path d={tokenArea} fill="url(#tl-area)" />
        <path d={tokenLine} className="tl-plot__tokens" />
        <path d={memLine} className="tl-plot__memories" />
        {budgetOnScale ? (
          <g data-testid="budget-line">
            <line x1={PLOT_PAD.left} x2={x(CURSOR_MAX)} y1={yT(budget)} y2={yT(budget)} className="tl-plot__budget" />
            <text x={x(CURSOR_MAX) - 4} y={yT(budget) - 5} textAnchor="end" className="tl-plot__budget-label">
              budget {formatCount(budget)}
            </text>
          </g>
        ) : (
          <text x={x(CURSOR_MAX) - 4} y={TOP + 4} textAnchor="end" className="tl-plot__budget-label" data-testid="budget-line">
            budget {formatCount(budget)} tokens ↑ (far above)
          </text>
        )}
        <line x1={nowX} x2={nowX} y1={TOP - 8} y2={y0} className="tl-plot__now" />
        <text x={nowX} y={y0 + 18} textAnchor="middle" className="tl-plot__label tl-plot__label--now">
          now
        </text>
        {axis.start !== null ? (
          <text x={PLOT_PAD.left} y={y0 + 18} className="tl-plot__label">
            first memory
          </text>
        ) : null}
        {TICKS.map(([days, label]) => {
          const tx = x(daysCursor(axis, days));
          return (
            <g key={days}>
              <line x1={tx} x2={tx} y1={y0} y2={y0 + 5} className="tl-plot__axis" />
              <text x={tx} y={y0 + 18} textAnchor={days === 365 ? 'end' : 'middle'} className="tl-plot__label">
                {label}
              </text>
            </g>
          );
        })}
        <line x1={PLOT_PAD.left} x2={x(CURSOR_MAX)} y1={y0} y2={y0} className="tl-plot__axis" />
        <line x1={curX} x2={curX} y1={TOP - 8} y2={y0} className="tl-plot__cursor" />
        <circle cx={curX} cy={TOP - 8} r={4} className="tl-plot__cursor-dot" />
      </svg>
      <div className="tl-plot__legend">
        <span className="legend legend--tokens">vision tokens</span>
        <span className="legend legend--memories">memories</span>
        <span className="legend legend--budget">budget</span>
      </div>
    </div>
  );
}
