// The slim overall progress line under the header, visible whenever work is under way even with the queue closed.
// Clicking it opens the queue, where each file has its own bar.
import { ProgressBar } from '../../components/ProgressBar';
import { useStore } from '../../store';
import { isActive, overallFraction } from '../../store/ingestSlice';

export function QueueStrip() {
  const jobs = useStore((s) => s.jobs);
  const uploads = useStore((s) => s.uploads.length);
  const active = jobs.filter(isActive);
  if (active.length === 0 && uploads === 0) return null;
  const working = active.find((j) => j.state === 'rendering' || j.state === 'encoding');
  return (
    <button type="button" className="strip" onClick={() => useStore.getState().openPanel('queue')} data-testid="queue-strip">
      <span className="strip__text">
        {uploads ? `Uploading ${uploads} ${uploads === 1 ? 'file' : 'files'}` : working ? `Reading ${working.name}` : 'Waiting to start'}
        {active.length ? ` · ${active.length} in queue` : ''}
      </span>
      <ProgressBar value={overallFraction(jobs)} label="Overall ingest progress" size="sm" />
    </button>
  );
}
