// How a fresh, never-used page fades with age, by importance band (timeline.curve). Decoded fidelity where the
// model pack has measured it; otherwise the ladder level itself, as steps, and the chart says which it shows.
import type { ForgettingCurve } from '../../../electron/contract';
import { LEVELS, levelIndex } from '../../components/levels';
import { useWidth } from '../../components/useWidth';

const H = 200;
const PAD = { left: 64, right: 16, top: 14, bottom: 30 };
const BAND_CLASS = ['c1', 'c2', 'c3', 'c4'];

export function ForgettingCurves({ curves }: { curves: ForgettingCurve[] }) {
  const [ref, width] = useWidth<HTMLDivElement>(420);
  const hasFidelity = curves.some((c) => c.points.some((p) => p.fidelity !== null));
  const ages = [...new Set(curves.flatMap((c) => c.points.map((p) => p.ageDays)))].sort((a, b) => a - b);
  const maxAge = Math.max(1, ...ages);
  const innerW = Math.max(80, width - PAD.left - PAD.right);
  const y0 = H - PAD.bottom;
  // Age on a log scale (day 0 at the left edge), so the first weeks are not crushed.
  const x = (d: number) => PAD.left + (Math.log1p(d) / Math.log1p(maxAge)) * innerW;
  const yFid = (f: number) => y0 - (y0 - PAD.top) * f;
  const yLvl = (level: string) => {
    const i = Math.max(0, levelIndex(level));
    return PAD.top + ((y0 - PAD.top) * i) / (LEVELS.length - 1);
  };
  const y = (p: ForgettingCurve['points'][number]) => (hasFidelity ? yFid(p.fidelity ?? 0) : yLvl(p.level));

  const path = (c: ForgettingCurve) =>
    c.points
      .map((p, i) => {
        const px = x(p.ageDays).toFixed(1);
        const py = y(p).toFixed(1);
        if (i === 0) return `M${px},${py}`;
        // Levels hold until the next step: draw steps, not slopes.
        return hasFidelity ? `L${px},${py}` : `H${px}V${py}`;
      })
      .join('');

  return (
    <div ref={ref} className="curves" data-testid="forgetting-curves" data-measure={hasFidelity ? 'fidelity' : 'level'}>
      <svg width={width} height={H} role="img" aria-label={hasFidelity ? 'Decoded fidelity against age, by importance' : 'Ladder level against age, by importance'}>
        {hasFidelity
          ? [0, 0.5, 1].map((f) => (
              <g key={f}>
                <line x1={PAD.left} x2={PAD.left + innerW} y1={yFid(f)} y2={yFid(f)} className="tl-plot__grid" />
                <text x={PAD.left - 8} y={yFid(f) + 4} textAnchor="end" className="tl-plot__tick">
                  {Math.round(f * 100)}%
                </text>
              </g>
            ))
          : LEVELS.map((l) => (
              <g key={l.name}>
                <line x1={PAD.left} x2={PAD.left + innerW} y1={yLvl(l.name)} y2={yLvl(l.name)} className="tl-plot__grid" />
                <text x={PAD.left - 8} y={yLvl(l.name) + 4} textAnchor="end" className="tl-plot__tick">
                  {l.name}
                </text>
              </g>
            ))}
        {curves.map((c, i) => (
          <path key={c.band} d={path(c)} className={`curve curve--${BAND_CLASS[i % BAND_CLASS.length]}`} />
        ))}
        {[0, 7, 30, 90, 365, 730]
          .filter((d) => d <= maxAge)
          .map((d) => (
            <text key={d} x={x(d)} y={y0 + 18} textAnchor={d === 0 ? 'start' : 'middle'} className="tl-plot__label">
              {d === 0 ? 'new' : d < 30 ? `${d} d` : d < 365 ? `${Math.round(d / 30)} mo` : `${Math.round(d / 365)} y`}
            </text>
          ))}
      </svg>
      <ul className="curves__legend">
        {curves.map((c, i) => (
          <li key={c.band} className={`legend legend--${BAND_CLASS[i % BAND_CLASS.length]}`}>
            {c.band}
          </li>
        ))}
      </ul>
      {!hasFidelity ? <p className="curves__note">The model pack has no measured fidelity, so this shows the ladder level a page reaches by age instead.</p> : null}
    </div>
  );
}
