// The bank's size in five numbers: memories, documents, pages, vision tokens and disk used (memory.stats).
// Refreshed by the sync loop when memories change, never polled.
import { formatBytes, formatCount } from '../../components/format';
import { useStore } from '../../store';

export function StatsBar() {
  const stats = useStore((s) => s.stats);
  const items: [string, string][] = stats
    ? [
        ['Memories', formatCount(stats.memories)],
        ['Documents', formatCount(stats.documents)],
        ['Pages', formatCount(stats.pages)],
        ['Tokens', formatCount(stats.tokens)],
        ['On disk', formatBytes(stats.diskBytes)],
      ]
    : [];
  return (
    <dl className="stats" aria-label="Bank statistics" data-testid="stats">
      {items.map(([label, value]) => (
        <div key={label} className="stats__item">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
