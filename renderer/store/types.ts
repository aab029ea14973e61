// The store's full shape, one interface per slice, so each slice can read the others through `get()`.
// Slices own their state and the calls that fill it; components only select and call actions.
import type { StateCreator } from 'zustand';
import type { AppSlice } from './appSlice';
import type { CaptureSlice } from './captureSlice';
import type { ChatSlice } from './chatSlice';
import type { IngestSlice } from './ingestSlice';
import type { MemoriesSlice } from './memoriesSlice';
import type { SettingsSlice } from './settingsSlice';
import type { TimelineSlice } from './timelineSlice';

export type EngramState = AppSlice & MemoriesSlice & IngestSlice & SettingsSlice & TimelineSlice & ChatSlice & CaptureSlice;
export type Slice<T> = StateCreator<EngramState, [], [], T>;
