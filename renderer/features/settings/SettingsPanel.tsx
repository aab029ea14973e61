// Settings: watched folders, the default mode, the largest file, pausing ingest, forgetting's budgets, chat, screen capture.
// Every control writes through settings.set and shows the engine's answer, so two windows never disagree.
import { useEffect, useState } from 'react';
import type { Mode } from '../../../electron/contract';
import { Drawer } from '../../components/Drawer';
import { Icon } from '../../components/Icon';
import { useStore } from '../../store';
import { AccelerationSettings } from './AccelerationSettings';
import { CaptureSettings } from './CaptureSettings';
import { ChatSettingsSection } from './ChatSettingsSection';
import { ForgettingSettings } from './ForgettingSettings';
import { WatchedFolders } from './WatchedFolders';

/** Mirrors the contract's MODE_TOKENS (values cannot cross into the renderer); Record<Mode,…> keeps it complete. */
const MODES: Record<Mode, { tokens: number; hint: string }> = {
  tiny: { tokens: 64, hint: 'Smallest; fine for slides and sparse pages' },
  small: { tokens: 100, hint: 'A good default for most documents' },
  base: { tokens: 256, hint: 'Dense text and small print' },
  large: { tokens: 400, hint: 'Most detail; largest bank' },
};
const MB = 1024 * 1024;

export function SettingsPanel() {
  const settings = useStore((s) => s.settings);
  const close = useStore((s) => s.closePanel);
  const save = useStore((s) => s.saveSettings);
  const [maxMb, setMaxMb] = useState('');

  useEffect(() => {
    if (settings) setMaxMb(String(Math.round(settings.maxFileBytes / MB)));
  }, [settings?.maxFileBytes]); // eslint-disable-line react-hooks/exhaustive-deps

  const commitMax = () => {
    const mb = Number(maxMb);
    if (!settings || !Number.isFinite(mb) || mb <= 0) return setMaxMb(String(Math.round((settings?.maxFileBytes ?? 0) / MB)));
    const bytes = Math.round(mb * MB);
    if (bytes !== settings.maxFileBytes) void save({ maxFileBytes: bytes });
  };

  return (
    <Drawer title="Settings" onClose={close} testId="settings-panel">
      <WatchedFolders />

      <section className="setting">
        <h3 className="setting__title" id="mode-label">
          Default mode
        </h3>
        <p className="setting__hint">How many vision tokens each new page is kept as. Existing memories keep theirs.</p>
        <div className="segmented" role="radiogroup" aria-labelledby="mode-label">
          {(Object.keys(MODES) as Mode[]).map((mode) => {
            const on = settings?.defaultMode === mode;
            return (
              <button
                key={mode}
                type="button"
                role="radio"
                aria-checked={on}
                className={`segmented__item${on ? ' is-on' : ''}`}
                onClick={() => void save({ defaultMode: mode })}
                disabled={!settings}
                title={MODES[mode].hint}
              >
                <span className="segmented__name">{mode}</span>
                <span className="segmented__sub">{MODES[mode].tokens} tok</span>
              </button>
            );
          })}
        </div>
      </section>

      <section className="setting">
        <label className="setting__title" htmlFor="max-file">
          Largest file
        </label>
        <p className="setting__hint">Bigger files are skipped rather than read.</p>
        <div className="input-with-unit">
          <input
            id="max-file"
            className="input"
            type="number"
            min={1}
            step={1}
            inputMode="numeric"
            value={maxMb}
            disabled={!settings}
            onChange={(e) => setMaxMb(e.currentTarget.value)}
            onBlur={commitMax}
            onKeyDown={(e) => e.key === 'Enter' && commitMax()}
          />
          <span className="input-unit">MB</span>
        </div>
      </section>

      <section className="setting setting--row">
        <div>
          <h3 className="setting__title" id="pause-label">
            Pause ingest
          </h3>
          <p className="setting__hint">Stop reading new files for now; the queue keeps them.</p>
        </div>
        <button
          type="button"
          role="switch"
          aria-checked={settings?.paused ?? false}
          aria-labelledby="pause-label"
          className={`switch${settings?.paused ? ' is-on' : ''}`}
          onClick={() => settings && void save({ paused: !settings.paused })}
          disabled={!settings}
        >
          <span className="switch__knob" />
        </button>
      </section>

      <h3 className="settings-group">Forgetting</h3>
      <ForgettingSettings />

      <h3 className="settings-group">Chat</h3>
      <ChatSettingsSection />

      <h3 className="settings-group">Capture</h3>
      <CaptureSettings />

      <h3 className="settings-group">Acceleration</h3>
      <AccelerationSettings />

      <AboutLine />
    </Drawer>
  );
}

function AboutLine() {
  const info = useStore((s) => s.info);
  if (!info) return null;
  return (
    <footer className="about">
      <Icon name="logo" size={16} />
      <span>
        Engram {info.version} · {info.encoder.name} on {info.encoder.provider} · {info.transport === 'ipc' ? 'desktop' : 'browser'}
      </span>
      <span className="about__dir" title={info.dataDir}>
        {info.dataDir}
      </span>
    </footer>
  );
}
