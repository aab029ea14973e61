// Keeps the store in step with the engine: a full load on every (re)connection, then events as they come.
// Events that change totals refresh stats, and events that change the bank refresh the timeline, a few times a second at most.
import type { Client } from '../api/client';
import type { EngramState } from './types';
import type { StoreApi } from 'zustand';

export function startSync(client: Client, store: Pick<StoreApi<EngramState>, 'getState'>): () => void {
  const s = () => store.getState();
  let statsTimer: ReturnType<typeof setTimeout> | null = null;
  const refreshStats = () => {
    if (statsTimer) return;
    statsTimer = setTimeout(() => {
      statsTimer = null;
      void s().loadStats();
    }, 250);
  };

  let timelineTimer: ReturnType<typeof setTimeout> | null = null;
  const refreshTimeline = () => {
    if (timelineTimer) return;
    timelineTimer = setTimeout(() => {
      timelineTimer = null;
      void s().refreshTimeline();
    }, 300);
  };

  const loadAll = () =>
    Promise.all([s().loadInfo(), s().loadStats(), s().loadMemories(), s().loadJobs(), s().loadSettings(), s().loadFolders(), s().loadCapture(), s().loadChatSettings(), s().refreshTimeline()]);

  const offs = [
    client.onConnection((c, retryInMs) => {
      s().setConnection(c, retryInMs);
      // Events were missed while away: reload everything rather than guess.
      if (c === 'open') void loadAll();
    }),
    client.on('memory.created', ({ memories }) => {
      s().applyMemories(memories);
      refreshStats();
      refreshTimeline();
    }),
    client.on('memory.updated', ({ memories }) => {
      s().applyMemories(memories);
      if (s().detail && memories.some((m) => m.id === s().detail?.id)) void s().reloadDetail();
      refreshStats();
      refreshTimeline();
    }),
    client.on('memory.removed', ({ ids }) => {
      s().removeMemories(ids);
      refreshStats();
      refreshTimeline();
    }),
    // Forgetting changes levels and tokens across the bank at once: reload rather than patch.
    client.on('memory.forgot', () => {
      void s().loadMemories();
      refreshStats();
      refreshTimeline();
    }),
    client.on('ingest.progressed', ({ job, progress }) => {
      s().applyJob(job, progress);
      if (job.state !== 'queued' && job.state !== 'rendering' && job.state !== 'encoding') refreshStats();
    }),
    client.on('watch.changed', ({ folders }) => s().applyFolders(folders)),
    client.on('settings.changed', (settings) => {
      s().applySettings(settings);
      // Budget and half-life change what the future looks like.
      refreshTimeline();
    }),
    client.on('chat.delta', ({ askId, text }) => s().applyChatDelta(askId, text)),
    client.on('capture.changed', (state) => s().applyCapture(state)),
    client.on('capture.taken', (outcome) => s().applyCaptureTaken(outcome)),
  ];

  s().setConnection(client.connection);
  if (client.connection === 'open') void loadAll();

  return () => {
    for (const off of offs) off();
    if (statsTimer) clearTimeout(statsTimer);
    if (timelineTimer) clearTimeout(timelineTimer);
  };
}
