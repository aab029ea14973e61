// Says plainly when the window cannot reach Engram, and why: no token, a refused token, or a lost connection.
// Counts down to the next reconnect and offers to retry now.
import { useEffect, useState } from 'react';
import type { Connection } from '../api/client';
import { Icon } from './Icon';

export function ConnectionBanner({ connection, retryInMs, onRetry }: { connection: Connection; retryInMs: number | null; onRetry(): void }) {
  const [left, setLeft] = useState<number | null>(null);
  useEffect(() => {
    if (retryInMs === null) return setLeft(null);
    const until = Date.now() + retryInMs;
    const tick = () => setLeft(Math.max(0, Math.ceil((until - Date.now()) / 1000)));
    tick();
    const t = setInterval(tick, 500);
    return () => clearInterval(t);
  }, [retryInMs, connection]);

  if (connection === 'open' || connection === 'connecting') return null;
  const text =
    connection === 'no-token'
      ? 'This page has no access token. Open the address Engram printed when it started (it ends in #token=…).'
      : connection === 'unauthorized'
        ? 'Engram refused this page’s token. Open the address Engram printed when it started.'
        : `Disconnected from Engram.${left !== null ? ` Reconnecting${left > 0 ? ` in ${left}s` : '…'}` : ''} If Engram was restarted, open the new address it printed.`;
  return (
    <div className={`banner banner--${connection === 'reconnecting' ? 'warn' : 'bad'}`} role="alert" data-testid="connection-banner">
      <Icon name="warning" size={18} />
      <span>{text}</span>
      {connection === 'reconnecting' || connection === 'unauthorized' ? (
        <button type="button" className="btn btn--ghost btn--sm" onClick={onRetry}>
          <Icon name="refresh" size={16} /> Retry now
        </button>
      ) : null}
    </div>
  );
}
