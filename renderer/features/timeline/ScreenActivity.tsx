// Screen activity on the timeline: capture chunks (a window's captures within 10 s, kept as one keyframe memory
// plus what changed), newest first. Choosing one shows its keyframe fading like any other memory.
import type { CaptureChunk } from '../../../electron/contract';
import { formatDate } from '../../components/format';

export function ScreenActivity({ chunks, onSelect }: { chunks: CaptureChunk[]; onSelect(memoryId: string): void }) {
  if (chunks.length === 0) return null;
  return (
    <section className="tl-card" aria-labelledby="activity-title" data-testid="screen-activity">
      <header className="tl-card__head">
        <h2 id="activity-title" className="tl-card__title">
          Screen activity
        </h2>
        <span className="muted">{chunks.length} chunks</span>
      </header>
      <ul className="chunks">
        {chunks.slice(0, 12).map((c) => {
          const secs = Math.max(0, Math.round((Date.parse(c.end) - Date.parse(c.start)) / 1000));
          return (
            <li key={c.id}>
              <button type="button" className="chunk" onClick={() => onSelect(c.memoryId)} data-testid="chunk">
                <span className="chunk__what" title={c.source}>
                  {c.source.replace(/^screen:/, '')}
                </span>
                <span className="chunk__when">
                  {formatDate(c.start)} · {secs} s · {c.frames} {c.frames === 1 ? 'frame' : 'frames'} · {c.changes.length} {c.changes.length === 1 ? 'change' : 'changes'}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
