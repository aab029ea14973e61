// The tray icon: show the window, pause or resume ingest, quit. Lives while the app runs, even with no window open.
// It reflects the paused flag it is told about, so the tray and the settings screen never disagree.
import { Menu, Tray, nativeImage } from 'electron';

export interface TrayActions {
  show(): void;
  setPaused(paused: boolean): void;
  setCapturing(on: boolean): void;
  quit(): void;
}

export interface EngramTray {
  setPaused(paused: boolean): void;
  /** Screen capture on or off, as the engine announces it (capture.changed). */
  setCapturing(on: boolean): void;
  destroy(): void;
}

/** The global shortcut that turns screen capture on and off from anywhere. */
export const CAPTURE_SHORTCUT = 'CommandOrControl+Shift+Alt+E';

/** `icons` are PNG paths; Electron picks up the @2x files beside them on its own. */
export function createTray(icons: { normal: string; paused: string }, actions: TrayActions): EngramTray {
  const tray = new Tray(nativeImage.createFromPath(icons.normal));
  let paused = false;
  let capturing = false;
  const render = () => {
    tray.setImage(nativeImage.createFromPath(paused ? icons.paused : icons.normal));
    tray.setToolTip(`Engram${paused ? ' (ingest paused)' : ''}${capturing ? ' · capturing the screen' : ''}`);
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: 'Show Engram', click: () => actions.show() },
        { type: 'separator' },
        paused
          ? { label: 'Resume Ingest', click: () => actions.setPaused(false) }
          : { label: 'Pause Ingest', click: () => actions.setPaused(true) },
        capturing
          ? { label: 'Stop Screen Capture', accelerator: CAPTURE_SHORTCUT, click: () => actions.setCapturing(false) }
          : { label: 'Start Screen Capture', accelerator: CAPTURE_SHORTCUT, click: () => actions.setCapturing(true) },
        { type: 'separator' },
        { label: 'Quit Engram', click: () => actions.quit() },
      ]),
    );
  };
  tray.on('click', () => actions.show());
  render();
  return {
    setPaused(next) {
      if (next === paused) return;
      paused = next;
      render();
    },
    setCapturing(next) {
      if (next === capturing) return;
      capturing = next;
      render();
    },
    destroy: () => tray.destroy(),
  };
}
