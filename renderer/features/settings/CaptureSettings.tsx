// Screen capture's controls: on or off (off until the person turns it on), interval, the apps and window titles
// never captured, what to do with sensitive text, and how long captures are kept. Off stops capture at once.
import { useState, type FormEvent } from 'react';
import type { CaptureExclusions, SensitiveAction } from '../../../electron/contract';
import { formatAgo } from '../../components/format';
import { Icon } from '../../components/Icon';
import { NumberField } from '../../components/NumberField';
import { useStore } from '../../store';

const ACTIONS: Record<SensitiveAction, string> = { drop: 'Drop the capture', redact: 'Redact, then keep' };

export function CaptureSettings() {
  const capture = useStore((s) => s.capture);
  const set = useStore((s) => s.setCapture);
  const on = capture?.enabled ?? false;

  return (
    <section className="setting setting--group" aria-labelledby="capture-label" data-testid="capture-settings" data-enabled={String(on)} data-capturing={String(capture?.capturing ?? false)}>
      <div className="setting--row">
        <div>
          <h3 className="setting__title" id="capture-label">
            Screen capture
          </h3>
          <p className="setting__hint">Remember what is on screen, every few seconds, as fading memories. Nothing leaves this machine.</p>
        </div>
        <button
          type="button"
          role="switch"
          aria-checked={on}
          aria-labelledby="capture-label"
          className={`switch${on ? ' is-on' : ''}`}
          onClick={() => capture && void set({ enabled: !on })}
          disabled={!capture}
          data-testid="capture-switch"
        >
          <span className="switch__knob" />
        </button>
      </div>
      <p className="capture-status" data-testid="capture-status">
        <span className={`capture-dot${capture?.capturing ? ' is-on' : ''}`} aria-hidden="true" />
        {!capture
          ? 'Reading capture settings…'
          : capture.capturing
            ? `Capturing every ${capture.intervalSeconds} s`
            : capture.enabled
              ? 'On, but not capturing right now'
              : 'Off'}
        {capture?.lastCapture ? <span className="muted"> · last {capture.lastCapture.stored ? 'stored' : `skipped (${capture.lastCapture.reason})`} {formatAgo(capture.lastCapture.at)}</span> : null}
      </p>
      {capture && !capture.filter ? <p className="callout callout--warn">No text reader found for the sensitive-content filter, so captures it cannot check are dropped.</p> : null}

      <div className="subsetting">
        <label className="subsetting__title" htmlFor="capture-interval">
          Interval
        </label>
        <NumberField id="capture-interval" value={capture?.intervalSeconds} min={1} max={3600} unit="seconds" integer={false} onCommit={(v) => void set({ intervalSeconds: v })} testId="capture-interval" />
      </div>

      <div className="subsetting">
        <label className="subsetting__title" htmlFor="capture-retention">
          Keep captures for
        </label>
        <NumberField id="capture-retention" value={capture?.retentionDays} min={1} max={3650} unit="days" onCommit={(v) => void set({ retentionDays: v })} testId="capture-retention" />
      </div>

      <div className="subsetting">
        <span className="subsetting__title" id="sensitive-label">
          Sensitive text (cards, passwords, keys)
        </span>
        <div className="segmented segmented--2" role="radiogroup" aria-labelledby="sensitive-label">
          {(Object.keys(ACTIONS) as SensitiveAction[]).map((a) => (
            <button key={a} type="button" role="radio" aria-checked={capture?.sensitiveAction === a} className={`segmented__item${capture?.sensitiveAction === a ? ' is-on' : ''}`} onClick={() => void set({ sensitiveAction: a })} disabled={!capture}>
              <span className="segmented__name">{a}</span>
              <span className="segmented__sub">{ACTIONS[a]}</span>
            </button>
          ))}
        </div>
      </div>

      <ExclusionList kind="apps" title="Never capture these apps" placeholder="e.g. KeePassXC" />
      <ExclusionList kind="titles" title="Never capture windows titled" placeholder="e.g. Private Browsing" />
    </section>
  );
}

function ExclusionList({ kind, title, placeholder }: { kind: keyof CaptureExclusions; title: string; placeholder: string }) {
  const exclusions = useStore((s) => s.capture?.exclusions ?? null);
  const [text, setText] = useState('');
  const list = exclusions?.[kind] ?? [];
  const save = (next: string[]) => exclusions && useStore.getState().setCapture({ exclusions: { ...exclusions, [kind]: next } });
  const add = async (e: FormEvent) => {
    e.preventDefault();
    const v = text.trim();
    if (!v || !exclusions) return;
    if (list.some((x) => x.toLowerCase() === v.toLowerCase())) return setText('');
    if (await save([...list, v])) setText('');
  };
  const inputId = `exclude-${kind}`;
  return (
    <div className="subsetting" data-testid={`exclusions-${kind}`}>
      <label className="subsetting__title" htmlFor={inputId}>
        {title}
      </label>
      <ul className="excl">
        {list.map((x) => (
          <li key={x} className="excl__item" data-testid="exclusion">
            <span>{x}</span>
            <button type="button" className="excl__remove" onClick={() => void save(list.filter((y) => y !== x))} aria-label={`Remove ${x}`} title="Remove">
              <Icon name="close" size={12} />
            </button>
          </li>
        ))}
        {list.length === 0 ? <li className="muted">None</li> : null}
      </ul>
      <form className="add-folder" onSubmit={(e) => void add(e)}>
        <input id={inputId} className="input" placeholder={placeholder} value={text} onChange={(e) => setText(e.currentTarget.value)} disabled={!exclusions} spellCheck={false} autoComplete="off" />
        <button type="submit" className="btn btn--secondary" disabled={!text.trim()}>
          Add
        </button>
      </form>
    </div>
  );
}
