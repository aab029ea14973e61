// App-wide state: the connection, app info, stats, which side panel is open and the notices shown.
// Every slice reports failures through `notify`, so errors surface the same way everywhere.
import type { AppInfo, Stats } from '../../electron/contract';
import { ClientError, getClient, type Connection } from '../api/client';
import type { Slice } from './types';

export type Panel = 'queue' | 'settings';
/** The main area: the memory grid, or the timeline of what is kept and what will fade. */
export type View = 'memories' | 'timeline';
export interface Notice {
  id: number;
  tone: 'info' | 'error';
  text: string;
}

export interface AppSlice {
  connection: Connection;
  /** While reconnecting: how long until the next attempt. */
  retryInMs: number | null;
  info: AppInfo | null;
  stats: Stats | null;
  panel: Panel | null;
  view: View;
  notices: Notice[];
  setConnection(connection: Connection, retryInMs?: number): void;
  loadInfo(): Promise<void>;
  loadStats(): Promise<void>;
  openPanel(panel: Panel): void;
  closePanel(): void;
  togglePanel(panel: Panel): void;
  setView(view: View): void;
  notify(text: string, tone?: Notice['tone']): void;
  /** Report a failed call as a notice; a lost connection is already shown by the banner. */
  fail(what: string, err: unknown): void;
  dismiss(id: number): void;
}

let noticeId = 0;

export const createAppSlice: Slice<AppSlice> = (set, get) => ({
  connection: 'connecting',
  retryInMs: null,
  info: null,
  stats: null,
  panel: null,
  view: 'memories',
  notices: [],
  setConnection: (connection, retryInMs) => set({ connection, retryInMs: retryInMs ?? null }),
  async loadInfo() {
    try {
      set({ info: await getClient().call('app.info', {}) });
    } catch (err) {
      get().fail('Could not read app info', err);
    }
  },
  async loadStats() {
    try {
      set({ stats: await getClient().call('memory.stats', {}) });
    } catch (err) {
      get().fail('Could not read stats', err);
    }
  },
  openPanel: (panel) => set({ panel, detail: null }),
  closePanel: () => set({ panel: null }),
  togglePanel: (panel) => (get().panel === panel ? get().closePanel() : get().openPanel(panel)),
  setView: (view) => set({ view }),
  notify(text, tone = 'info') {
    const notice = { id: ++noticeId, tone, text };
    set({ notices: [...get().notices.slice(-4), notice] });
  },
  fail(what, err) {
    if (err instanceof ClientError && (err.code === 'disconnected' || get().connection !== 'open')) return;
    get().notify(`${what}: ${err instanceof Error ? err.message : String(err)}`, 'error');
  },
  dismiss: (id) => set({ notices: get().notices.filter((n) => n.id !== id) }),
});
