// Settings and watched folders, mirrored from the engine and updated by `settings.changed` and `watch.changed`.
// Writes go to the engine first; the store takes the engine's answer, never its own guess.
import type { Settings, WatchedFolder } from '../../electron/contract';
import { getClient } from '../api/client';
import type { Slice } from './types';

export interface SettingsSlice {
  settings: Settings | null;
  folders: WatchedFolder[];
  loadSettings(): Promise<void>;
  saveSettings(patch: Partial<Settings>): Promise<void>;
  applySettings(settings: Settings): void;
  loadFolders(): Promise<void>;
  applyFolders(folders: WatchedFolder[]): void;
  /** Resolves true when the folder is now watched. */
  addFolder(path: string): Promise<boolean>;
  removeFolder(path: string): Promise<void>;
}

export const createSettingsSlice: Slice<SettingsSlice> = (set, get) => ({
  settings: null,
  folders: [],
  async loadSettings() {
    try {
      set({ settings: await getClient().call('settings.get', {}) });
    } catch (err) {
      get().fail('Could not load settings', err);
    }
  },
  async saveSettings(patch) {
    try {
      set({ settings: await getClient().call('settings.set', patch) });
    } catch (err) {
      get().fail('Could not save settings', err);
    }
  },
  applySettings: (settings) => set({ settings }),
  async loadFolders() {
    try {
      const { folders } = await getClient().call('watch.list', {});
      set({ folders });
    } catch (err) {
      get().fail('Could not load watched folders', err);
    }
  },
  applyFolders: (folders) => set({ folders }),
  async addFolder(path) {
    const trimmed = path.trim();
    if (!trimmed) return false;
    try {
      const { folder } = await getClient().call('watch.add', { path: trimmed });
      set({ folders: [...get().folders.filter((f) => f.path !== folder.path), folder] });
      return true;
    } catch (err) {
      get().fail(`Could not watch ${trimmed}`, err);
      return false;
    }
  },
  async removeFolder(path) {
    try {
      await getClient().call('watch.remove', { path });
      set({ folders: get().folders.filter((f) => f.path !== path) });
    } catch (err) {
      get().fail('Could not stop watching', err);
    }
  },
});
