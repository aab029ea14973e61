// How much of a page a memory still holds: a bar as long as its token count (on the ladder's 400-token scale),
// coloured by level, with the level named beside it. Colour reinforces; the text says it.
import { LEVELS, levelClass, levelIndex, MAX_LEVEL_TOKENS } from './levels';

export function LevelBar({ level, tokens, compact = false }: { level: string; tokens: number; compact?: boolean }) {
  // Square root, so a 4-token gist is still visible next to a 400-token page.
  const pct = Math.max(2, Math.round(Math.sqrt(Math.min(1, tokens / MAX_LEVEL_TOKENS)) * 100));
  return (
    <span className={`levelbar ${levelClass(level)}${compact ? ' levelbar--compact' : ''}`} data-level={level} data-tokens={tokens} title={`${level}: ${tokens} vision tokens`}>
      <span className="levelbar__track">
        <span className="levelbar__fill" style={{ width: `${pct}%` }} />
      </span>
      <span className="levelbar__text">
        <span className="levelbar__level">{level}</span> <span className="levelbar__tokens">{tokens}</span>
      </span>
    </span>
  );
}

/** The whole ladder as steps, the current level lit: where a memory sits between full page and a single gist. */
export function LadderSteps({ level, label = 'Level' }: { level: string; label?: string }) {
  const at = levelIndex(level);
  return (
    <ol className="ladder" aria-label={`${label}: ${level}`} data-testid="ladder" data-level={level}>
      {LEVELS.map((l, i) => (
        <li key={l.name} className={`ladder__step ${levelClass(l.name)}${i === at ? ' is-at' : ''}${at >= 0 && i < at ? ' is-gone' : ''}`} aria-current={i === at ? 'step' : undefined}>
          <span className="ladder__name">{l.name}</span>
          <span className="ladder__tokens">{l.tokens}</span>
        </li>
      ))}
    </ol>
  );
}
