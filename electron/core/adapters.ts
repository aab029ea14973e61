// What only a host can do, handed to the engine as interfaces: Electron passes native ones,
// the loopback host and the CLI pass none (or headless ones), and the engine never imports electron.
export interface Dialogs {
  pickPaths(opts: { folders: boolean }): Promise<string[]>;
}

export interface Adapters {
  dialogs?: Dialogs;
}

/** Who is calling a route; the router refuses calls from unknown callers. */
export interface Caller {
  transport: 'ipc' | 'websocket' | 'direct';
  /** Electron: the webContents id of a window the shell created; WebSocket: an authenticated connection. */
  trusted: boolean;
}
