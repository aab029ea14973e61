// The forgetting ladder as the renderer shows it: each level's name, token count and colour class, most detail first.
// Mirrors the engine's ladder (values cannot cross into the renderer); an unknown level still renders, greyed.
export const LEVELS = [
  { name: 'large', tokens: 400 },
  { name: 'base', tokens: 256 },
  { name: 'small', tokens: 100 },
  { name: 'tiny', tokens: 64 },
  { name: 'gist16', tokens: 16 },
  { name: 'gist4', tokens: 4 },
  { name: 'gist1', tokens: 1 },
] as const;

export const MAX_LEVEL_TOKENS = 400;

/** Ladder position of a level (0 = large), or -1 when unknown. */
export const levelIndex = (level: string) => LEVELS.findIndex((l) => l.name === level);

/** A CSS class that colours a level, from vivid (full detail) to grey (a gist). */
export const levelClass = (level: string) => `lvl lvl--${levelIndex(level) < 0 ? 'unknown' : level}`;

/** "small · 100 tokens" style label. */
export const levelLabel = (level: string, tokens: number) => `${level} · ${tokens} ${tokens === 1 ? 'token' : 'tokens'}`;
