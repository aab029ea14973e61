// Transient messages in the corner: errors stay until dismissed, information fades after a few seconds.
// A polite live region, so screen readers hear them without losing their place.
import { useEffect } from 'react';
import { Icon } from './Icon';

export interface NoticeView {
  id: number;
  tone: 'info' | 'error';
  text: string;
}

function NoticeItem({ notice, onDismiss }: { notice: NoticeView; onDismiss(id: number): void }) {
  useEffect(() => {
    const t = setTimeout(() => onDismiss(notice.id), notice.tone === 'error' ? 12_000 : 5_000);
    return () => clearTimeout(t);
  }, [notice, onDismiss]);
  return (
    <div className={`notice notice--${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'}>
      <span className="notice__text">{notice.text}</span>
      <button type="button" className="icon-btn icon-btn--sm" onClick={() => onDismiss(notice.id)} aria-label="Dismiss">
        <Icon name="close" size={16} />
      </button>
    </div>
  );
}

export function Notices({ notices, onDismiss }: { notices: NoticeView[]; onDismiss(id: number): void }) {
  return (
    <div className="notices" aria-live="polite">
      {notices.map((n) => (
        <NoticeItem key={n.id} notice={n} onDismiss={onDismiss} />
      ))}
    </div>
  );
}
