// The Dialogs adapter: native open pickers, handed to the engine so `dialog.pickPaths` works in Electron.
// The engine never imports electron; this is the one place its file pickers come from.
import { BrowserWindow, dialog } from 'electron';
import type { Dialogs } from '../core/adapters.js';

export function electronDialogs(): Dialogs {
  return {
    async pickPaths({ folders }) {
      const parent = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
      const options: Electron.OpenDialogOptions = {
        title: folders ? 'Watch a folder' : 'Add files to Engram',
        properties: folders ? ['openDirectory', 'multiSelections'] : ['openFile', 'multiSelections'],
      };
      const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
      return result.canceled ? [] : result.filePaths;
    },
  };
}
