// A number input that commits on Enter or blur, within bounds, and snaps back to the saved value on nonsense.
// Settings write to the engine once per edit, not once per keystroke.
import { useEffect, useState } from 'react';

export function NumberField({ id, value, onCommit, min, max, step = 1, unit, disabled, testId, integer = true }: {
  id: string;
  value: number | undefined;
  onCommit(value: number): void;
  min: number;
  max: number;
  step?: number;
  unit?: string;
  disabled?: boolean;
  testId?: string;
  integer?: boolean;
}) {
  const [text, setText] = useState(value === undefined ? '' : String(value));
  useEffect(() => setText(value === undefined ? '' : String(value)), [value]);
  const commit = () => {
    const n = Number(text);
    if (value === undefined || text.trim() === '' || !Number.isFinite(n)) return setText(value === undefined ? '' : String(value));
    const v = Math.min(max, Math.max(min, integer ? Math.round(n) : n));
    setText(String(v));
    if (v !== value) onCommit(v);
  };
  return (
    <div className="input-with-unit">
      <input
        id={id}
        className="input"
        type="number"
        min={min}
        max={max}
        step={step}
        inputMode={integer ? 'numeric' : 'decimal'}
        value={text}
        disabled={disabled || value === undefined}
        onChange={(e) => setText(e.currentTarget.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
        data-testid={testId}
      />
      {unit ? <span className="input-unit">{unit}</span> : null}
    </div>
  );
}
