// The application menu: File (add files, watch a folder, quit), Edit, View, Window, Help.
// Built from injected actions so it holds no engine logic, and the template is a plain value.
import { Menu, type MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  addFiles(): void;
  watchFolder(): void;
  openDataFolder(): void;
  about(): void;
}

export function menuTemplate(opts: { isMac: boolean; isDev: boolean; actions: MenuActions }): MenuItemConstructorOptions[] {
  const { isMac, isDev, actions } = opts;
  const view: MenuItemConstructorOptions[] = [
    ...(isDev ? ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const) : []),
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  return [
    ...(isMac ? [{ role: 'appMenu' } as const] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Add Files…', accelerator: 'CmdOrCtrl+O', click: () => actions.addFiles() },
        { label: 'Watch Folder…', accelerator: 'CmdOrCtrl+Shift+O', click: () => actions.watchFolder() },
        { type: 'separator' },
        { label: 'Open Data Folder', click: () => actions.openDataFolder() },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { label: '&View', submenu: view },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'About Engram', click: () => actions.about() }] },
  ];
}

export function installMenu(opts: Parameters<typeof menuTemplate>[0]): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(opts)));
}
