// The ingest queue: jobs and overall progress, kept current by `ingest.progressed`, and the ways to add work.
// Files with a real path (Electron) are ingested in place; a browser's files are uploaded as bytes.
import type { Job, JobState, Mode, QueueProgress } from '../../electron/contract';
import { getClient } from '../api/client';
import type { Slice } from './types';

export const ACTIVE_STATES: readonly JobState[] = ['queued', 'rendering', 'encoding'];
export const isActive = (job: Job) => ACTIVE_STATES.includes(job.state);

/** How far a job is, 0..1; null when it is working but cannot say (pages not yet counted). */
export function jobFraction(job: Job): number | null {
  if (!isActive(job)) return 1;
  if (job.state === 'queued') return 0;
  if (!job.pagesTotal) return null;
  return Math.min(1, job.pagesDone / job.pagesTotal);
}

/** Overall progress over the jobs still listed: finished jobs count whole, working ones by their pages. */
export function overallFraction(jobs: Job[]): number {
  if (jobs.length === 0) return 0;
  const sum = jobs.reduce((acc, j) => acc + (jobFraction(j) ?? 0.05), 0);
  return sum / jobs.length;
}

/** Working first (oldest first), then finished ones newest first. */
export function sortJobs(jobs: Job[]): Job[] {
  const rank = (j: Job) => (j.state === 'rendering' || j.state === 'encoding' ? 0 : j.state === 'queued' ? 1 : 2);
  return [...jobs].sort((a, b) => {
    const r = rank(a) - rank(b);
    if (r !== 0) return r;
    if (rank(a) < 2) return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0;
    return a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0;
  });
}

export interface Upload {
  name: string;
  size: number;
}

export interface IngestSlice {
  jobs: Job[];
  progress: QueueProgress | null;
  /** Files being read and sent: they have no job until the host answers. */
  uploads: Upload[];
  loadJobs(): Promise<void>;
  applyJob(job: Job, progress: QueueProgress): void;
  cancelJob(jobId: string): Promise<void>;
  clearFinished(): Promise<void>;
  addPaths(paths: string[], mode?: Mode): Promise<void>;
  /** Ingest dropped or picked files: by path where the transport knows it, else by upload. */
  ingestFiles(files: File[], mode?: Mode): Promise<void>;
}

export async function fileToBase64(file: Blob): Promise<string> {
  if (typeof FileReader === 'undefined') {
    // Workers and tests have no FileReader: encode in chunks, since one String.fromCharCode call overflows the stack.
    const bytes = new Uint8Array(await file.arrayBuffer());
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(binary);
  }
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(reader.error ?? new Error('could not read the file'));
    // A data URL is the one base64 encoder the browser runs natively on large files.
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.readAsDataURL(file);
  });
}

const UPLOAD_CONCURRENCY = 2;

export const createIngestSlice: Slice<IngestSlice> = (set, get) => {
  const mergeJobs = (incoming: Job[]) => {
    const byId = new Map(get().jobs.map((j) => [j.id, j]));
    for (const j of incoming) {
      const prev = byId.get(j.id);
      // Events can overtake a call's answer; never let an older snapshot win.
      if (!prev || prev.updatedAt <= j.updatedAt) byId.set(j.id, j);
    }
    set({ jobs: sortJobs([...byId.values()]) });
  };

  const upload = async (file: File, mode?: Mode) => {
    const entry: Upload = { name: file.name, size: file.size };
    set({ uploads: [...get().uploads, entry] });
    try {
      const dataBase64 = await fileToBase64(file);
      const { job } = await getClient().call('ingest.upload', { name: file.name, dataBase64, ...(mode ? { mode } : {}) });
      mergeJobs([job]);
    } catch (err) {
      get().fail(`Could not upload ${file.name}`, err);
    } finally {
      set({ uploads: get().uploads.filter((u) => u !== entry) });
    }
  };

  return {
    jobs: [],
    progress: null,
    uploads: [],
    async loadJobs() {
      try {
        const { jobs, progress } = await getClient().call('ingest.list', {});
        set({ jobs: sortJobs(jobs), progress });
      } catch (err) {
        get().fail('Could not load the queue', err);
      }
    },
    applyJob(job, progress) {
      mergeJobs([job]);
      set({ progress });
    },
    async cancelJob(jobId) {
      try {
        const { job } = await getClient().call('ingest.cancel', { jobId });
        mergeJobs([job]);
      } catch (err) {
        get().fail('Could not cancel', err);
      }
    },
    async clearFinished() {
      try {
        await getClient().call('ingest.clearFinished', {});
        set({ jobs: get().jobs.filter(isActive) });
        await get().loadJobs();
      } catch (err) {
        get().fail('Could not clear finished jobs', err);
      }
    },
    async addPaths(paths, mode) {
      if (paths.length === 0) return;
      try {
        const { jobs } = await getClient().call('ingest.addPaths', { paths, ...(mode ? { mode } : {}) });
        mergeJobs(jobs);
      } catch (err) {
        get().fail('Could not add files', err);
      }
    },
    async ingestFiles(files, mode) {
      const client = getClient();
      const paths: string[] = [];
      const toUpload: File[] = [];
      for (const f of files) {
        const path = client.pathForFile(f);
        if (path) paths.push(path);
        else toUpload.push(f);
      }
      const max = get().settings?.maxFileBytes ?? Infinity;
      const fits = toUpload.filter((f) => f.size <= max);
      const tooBig = toUpload.length - fits.length;
      if (tooBig > 0) get().notify(`Skipped ${tooBig} file${tooBig === 1 ? '' : 's'} over the ${formatMb(max)} limit`, 'error');
      const work: Promise<void>[] = [get().addPaths(paths, mode)];
      const queue = [...fits];
      const worker = async () => {
        for (let f = queue.shift(); f; f = queue.shift()) await upload(f, mode);
      };
      for (let i = 0; i < Math.min(UPLOAD_CONCURRENCY, queue.length); i++) work.push(worker());
      await Promise.all(work);
    },
  };
};

const formatMb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
