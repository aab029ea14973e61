// A progress bar with a real progressbar role; `value` null means working without a known end.
// Width is set through the CSSOM (a React style prop), which the strict style-src allows.
export function ProgressBar({ value, label, tone = 'accent', size = 'md' }: { value: number | null; label: string; tone?: 'accent' | 'ok' | 'bad' | 'muted'; size?: 'sm' | 'md' }) {
  const pct = value === null ? null : Math.round(Math.max(0, Math.min(1, value)) * 100);
  return (
    <div
      className={`progress progress--${tone} progress--${size}${pct === null ? ' progress--busy' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct ?? undefined}
    >
      <div className="progress__fill" style={pct === null ? undefined : { width: `${pct}%` }} />
    </div>
  );
}
