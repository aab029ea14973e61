// Screen capture as the engine reports it: on or off, interval, exclusions, the sensitive-content action, retention,
// and whether a capture timer runs right now. Writes go to the engine; its answer (or `capture.changed`) is the truth.
import type { CaptureOutcome, CaptureSettings, CaptureState } from '../../electron/contract';
import { getClient } from '../api/client';
import type { Slice } from './types';

export interface CaptureSlice {
  capture: CaptureState | null;
  loadCapture(): Promise<void>;
  setCapture(patch: Partial<CaptureSettings>): Promise<boolean>;
  applyCapture(state: CaptureState): void;
  /** A capture just happened (`capture.taken`): the status line shows it as the last one. */
  applyCaptureTaken(outcome: CaptureOutcome): void;
}

export const createCaptureSlice: Slice<CaptureSlice> = (set, get) => ({
  capture: null,
  async loadCapture() {
    try {
      set({ capture: await getClient().call('capture.getState', {}) });
    } catch (err) {
      get().fail('Could not read the capture settings', err);
    }
  },
  async setCapture(patch) {
    const before = get().capture;
    // Turning capture off shows at once; the engine stops it in the same call.
    if (before && patch.enabled === false) set({ capture: { ...before, enabled: false, capturing: false } });
    try {
      set({ capture: await getClient().call('capture.setSettings', patch) });
      return true;
    } catch (err) {
      if (patch.enabled === false) void get().loadCapture();
      get().fail('Could not change capture', err);
      return false;
    }
  },
  applyCapture: (capture) => set({ capture }),
  applyCaptureTaken(o) {
    const c = get().capture;
    if (c) set({ capture: { ...c, lastCapture: { at: o.at, stored: o.stored, reason: o.reason } } });
  },
});
