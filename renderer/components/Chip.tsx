// Small labelled facts on cards and rows (kind, mode, tokens, states), one look for all of them.
// Tones map to the theme's colours; the text always says the fact, colour only reinforces it.
import type { ReactNode } from 'react';

export type ChipTone = 'neutral' | 'accent' | 'ok' | 'warn' | 'bad' | 'muted';

export function Chip({ tone = 'neutral', children, title }: { tone?: ChipTone; children: ReactNode; title?: string }) {
  return (
    <span className={`chip chip--${tone}`} title={title}>
      {children}
    </span>
  );
}
