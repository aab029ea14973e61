// The one store, built from its slices; components select from `useStore` and call its actions.
// `resetStore` puts every slice back to its first state, for tests and for a fresh connection.
import { create } from 'zustand';
import { createAppSlice } from './appSlice';
import { createCaptureSlice } from './captureSlice';
import { createChatSlice } from './chatSlice';
import { createIngestSlice } from './ingestSlice';
import { createMemoriesSlice } from './memoriesSlice';
import { createSettingsSlice } from './settingsSlice';
import { createTimelineSlice } from './timelineSlice';
import type { EngramState } from './types';

export const useStore = create<EngramState>()((...a) => ({
  ...createAppSlice(...a),
  ...createMemoriesSlice(...a),
  ...createIngestSlice(...a),
  ...createSettingsSlice(...a),
  ...createTimelineSlice(...a),
  ...createChatSlice(...a),
  ...createCaptureSlice(...a),
}));

export function resetStore(): void {
  useStore.setState(useStore.getInitialState(), true);
}

export type { EngramState } from './types';
export { startSync } from './sync';
