// The ingest queue: overall progress, every job with its own progress, cancel, and clear finished.
// Uploads still being read and sent appear first, since they have no job until the host answers.
import { Drawer } from '../../components/Drawer';
import { Icon } from '../../components/Icon';
import { ProgressBar } from '../../components/ProgressBar';
import { formatBytes } from '../../components/format';
import { useStore } from '../../store';
import { isActive, overallFraction } from '../../store/ingestSlice';
import { AddFilesButton } from '../drop/AddFilesButton';
import { JobRow } from './JobRow';

export function QueuePanel() {
  const jobs = useStore((s) => s.jobs);
  const uploads = useStore((s) => s.uploads);
  const progress = useStore((s) => s.progress);
  const paused = useStore((s) => s.settings?.paused ?? progress?.paused ?? false);
  const close = useStore((s) => s.closePanel);
  const { cancelJob, clearFinished, saveSettings } = useStore.getState();

  const active = jobs.filter(isActive).length;
  const finished = jobs.length - active;
  const failed = jobs.filter((j) => j.state === 'failed').length;
  const summary = jobs.length === 0 ? 'Nothing queued' : active ? `${active} working · ${finished} finished` : `All ${finished} finished${failed ? `, ${failed} failed` : ''}`;

  return (
    <Drawer title="Ingest queue" subtitle={summary} onClose={close} testId="queue-panel">
      <div className="queue__overall">
        <div className="queue__overall-head">
          <span>Overall</span>
          <span>
            {finished} of {jobs.length} {jobs.length === 1 ? 'file' : 'files'}
          </span>
        </div>
        <ProgressBar value={jobs.length ? overallFraction(jobs) : 0} label="Overall progress" tone={active ? 'accent' : 'ok'} />
        <div className="queue__actions">
          <button type="button" className="btn btn--secondary btn--sm" onClick={() => void saveSettings({ paused: !paused })} aria-pressed={paused}>
            <Icon name={paused ? 'play' : 'pause'} size={16} />
            {paused ? 'Resume' : 'Pause'}
          </button>
          <button type="button" className="btn btn--secondary btn--sm" onClick={() => void clearFinished()} disabled={finished === 0}>
            <Icon name="check" size={16} />
            Clear finished
          </button>
        </div>
      </div>
      {paused ? <p className="callout callout--warn">Ingest is paused. New files wait in the queue until you resume.</p> : null}
      <ul className="jobs" data-testid="jobs">
        {uploads.map((u, i) => (
          <li key={`u${i}`} className="job job--uploading">
            <div className="job__top">
              <span className="job__name">{u.name}</span>
            </div>
            <ProgressBar value={null} label={`Uploading ${u.name}`} size="sm" />
            <div className="job__foot">
              <span>Uploading {formatBytes(u.size)}</span>
            </div>
          </li>
        ))}
        {jobs.map((j) => (
          <JobRow key={j.id} job={j} onCancel={(id) => void cancelJob(id)} />
        ))}
      </ul>
      {jobs.length === 0 && uploads.length === 0 ? (
        <div className="queue__empty">
          <p className="muted">Drop files on the window, or add them here.</p>
          <AddFilesButton variant="secondary" />
        </div>
      ) : null}
    </Drawer>
  );
}
