// The window: header with views, stats and actions; the memory grid or the timeline; the chat sidebar beside them;
// one side panel at a time, notices, and the drop zone. Layout only; each feature reads the store itself.
import { getClient } from './api/client';
import { ConnectionBanner } from './components/ConnectionBanner';
import { Icon } from './components/Icon';
import { Notices } from './components/Notices';
import { CaptureIndicator } from './features/capture/CaptureIndicator';
import { ChatSidebar } from './features/chat/ChatSidebar';
import { AddFilesButton } from './features/drop/AddFilesButton';
import { DropZone } from './features/drop/DropZone';
import { QueuePanel } from './features/ingest/QueuePanel';
import { QueueStrip } from './features/ingest/QueueStrip';
import { MemoryDetail } from './features/memories/MemoryDetail';
import { MemoryGrid } from './features/memories/MemoryGrid';
import { SettingsPanel } from './features/settings/SettingsPanel';
import { StatsBar } from './features/stats/StatsBar';
import { TimelineView } from './features/timeline/TimelineView';
import { useStore } from './store';
import type { View } from './store/appSlice';
import { isActive } from './store/ingestSlice';

function QueueButton() {
  const open = useStore((s) => s.panel === 'queue');
  const active = useStore((s) => s.jobs.filter(isActive).length + s.uploads.length);
  const failed = useStore((s) => s.jobs.filter((j) => j.state === 'failed').length);
  return (
    <button type="button" className={`btn btn--ghost${open ? ' is-on' : ''}`} onClick={() => useStore.getState().togglePanel('queue')} aria-expanded={open} data-testid="open-queue">
      <Icon name="queue" size={18} />
      Queue
      {active ? <span className="count count--accent">{active}</span> : failed ? <span className="count count--bad">{failed}</span> : null}
    </button>
  );
}

function PausedChip() {
  const paused = useStore((s) => s.settings?.paused ?? false);
  if (!paused) return null;
  return (
    <button type="button" className="paused-chip" onClick={() => void useStore.getState().saveSettings({ paused: false })} title="Resume ingest">
      <Icon name="pause" size={14} /> Paused · Resume
    </button>
  );
}

const VIEWS: [View, string, 'grid' | 'clock'][] = [
  ['memories', 'Memories', 'grid'],
  ['timeline', 'Timeline', 'clock'],
];

function ViewTabs() {
  const view = useStore((s) => s.view);
  return (
    <nav className="tabs" aria-label="View">
      {VIEWS.map(([v, label, icon]) => (
        <button key={v} type="button" className={`tabs__item${view === v ? ' is-on' : ''}`} aria-current={view === v ? 'page' : undefined} onClick={() => useStore.getState().setView(v)} data-testid={`view-${v}`}>
          <Icon name={icon} size={16} />
          {label}
        </button>
      ))}
    </nav>
  );
}

function ChatButton() {
  const open = useStore((s) => s.chatOpen);
  return (
    <button type="button" className={`btn btn--ghost${open ? ' is-on' : ''}`} onClick={() => useStore.getState().toggleChat()} aria-expanded={open} data-testid="open-chat">
      <Icon name="chat" size={18} />
      Ask
    </button>
  );
}

export function App() {
  const connection = useStore((s) => s.connection);
  const retryInMs = useStore((s) => s.retryInMs);
  const panel = useStore((s) => s.panel);
  const notices = useStore((s) => s.notices);
  const dismiss = useStore((s) => s.dismiss);
  const settingsOpen = panel === 'settings';
  const view = useStore((s) => s.view);
  const chatOpen = useStore((s) => s.chatOpen);

  return (
    <div className="app">
      <ConnectionBanner connection={connection} retryInMs={retryInMs} onRetry={() => getClient().retryNow()} />
      <header className="topbar">
        <div className="brand">
          <span className="brand__mark">
            <Icon name="logo" size={22} />
          </span>
          <span className="brand__name">Engram</span>
        </div>
        <ViewTabs />
        <StatsBar />
        <div className="topbar__actions">
          <CaptureIndicator />
          <PausedChip />
          <QueueButton />
          <ChatButton />
          <button type="button" className={`btn btn--ghost${settingsOpen ? ' is-on' : ''}`} onClick={() => useStore.getState().togglePanel('settings')} aria-expanded={settingsOpen} data-testid="open-settings">
            <Icon name="settings" size={18} />
            Settings
          </button>
          <AddFilesButton />
        </div>
      </header>
      <QueueStrip />
      <div className={`workspace${chatOpen ? ' workspace--chat' : ''}`}>
        <main className="main">{view === 'timeline' ? <TimelineView /> : <MemoryGrid />}</main>
        {chatOpen ? <ChatSidebar /> : null}
      </div>
      {panel === 'queue' ? <QueuePanel /> : null}
      {panel === 'settings' ? <SettingsPanel /> : null}
      <MemoryDetail />
      <Notices notices={notices} onDismiss={dismiss} />
      <DropZone />
    </div>
  );
}
