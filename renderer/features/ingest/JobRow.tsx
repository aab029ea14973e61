// One file in the queue: its state in words, a progress bar, the failure reason, and cancel while it can be.
// State names come straight from the contract; the label only makes them read well.
import type { Job, JobState } from '../../../electron/contract';
import { Chip, type ChipTone } from '../../components/Chip';
import { Icon } from '../../components/Icon';
import { ProgressBar } from '../../components/ProgressBar';
import { isActive, jobFraction } from '../../store/ingestSlice';

const STATE: Record<JobState, { label: string; tone: ChipTone }> = {
  queued: { label: 'Queued', tone: 'muted' },
  rendering: { label: 'Rendering', tone: 'accent' },
  encoding: { label: 'Encoding', tone: 'accent' },
  ready: { label: 'Ready', tone: 'ok' },
  failed: { label: 'Failed', tone: 'bad' },
  cancelled: { label: 'Cancelled', tone: 'muted' },
  skipped: { label: 'Skipped', tone: 'warn' },
};

function pagesText(job: Job): string {
  if (job.state === 'queued') return 'Waiting';
  if (job.pagesTotal === null) {
    if (isActive(job)) return job.pagesDone ? `${job.pagesDone} pages so far` : 'Counting pages';
    return job.pagesDone ? `${job.pagesDone} pages` : 'No pages read';
  }
  return `${job.pagesDone} of ${job.pagesTotal} ${job.pagesTotal === 1 ? 'page' : 'pages'}`;
}

export function JobRow({ job, onCancel }: { job: Job; onCancel(id: string): void }) {
  const state = STATE[job.state];
  const tone = job.state === 'failed' ? 'bad' : job.state === 'ready' ? 'ok' : isActive(job) ? 'accent' : 'muted';
  return (
    <li className={`job job--${job.state}`} data-testid="job" data-state={job.state} data-name={job.name}>
      <div className="job__top">
        <span className="job__name" title={job.source}>
          {job.name}
        </span>
        <Chip tone={state.tone}>{state.label}</Chip>
        {isActive(job) ? (
          <button type="button" className="icon-btn icon-btn--sm" onClick={() => onCancel(job.id)} aria-label={`Cancel ${job.name}`} title="Cancel">
            <Icon name="close" size={16} />
          </button>
        ) : null}
      </div>
      <ProgressBar value={jobFraction(job)} label={`${job.name} progress`} tone={tone} size="sm" />
      <div className="job__foot">
        <span>{pagesText(job)}</span>
        <span className="job__mode">{job.mode}</span>
      </div>
      {job.error ? (
        <p className="job__error" data-testid="job-error">
          <Icon name="warning" size={14} /> {job.error}
        </p>
      ) : null}
    </li>
  );
}
