// The Electron transport: `ipcMain.handle('rpc')` hands call envelopes to the engine, events go out by webContents.send.
// The engine decides what a call may do; this file only says who is calling (one of our windows, or not).
import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { CallEnvelope, ReplyEnvelope } from '../contract/envelope.js';
import type { Engine } from '../core/Engine.js';
import { isOwnUrl, ourWebContents } from './window.js';

export function serveIpc(engine: Engine): () => void {
  ipcMain.handle('rpc', (event, envelope: unknown): Promise<ReplyEnvelope> => {
    if (!isCallEnvelope(envelope)) {
      const id = typeof (envelope as { id?: unknown })?.id === 'number' ? (envelope as { id: number }).id : 0;
      return Promise.resolve({ id, ok: false, error: { code: 'bad_input', message: 'an rpc call is { id, name, input }' } });
    }
    return engine.handle(envelope, { transport: 'ipc', trusted: isTrustedSender(event) });
  });
  const stopEvents = engine.onEvent((envelope) => {
    for (const win of BrowserWindow.getAllWindows()) {
      if (!win.isDestroyed() && ourWebContents.has(win.webContents.id)) win.webContents.send('event', envelope);
    }
  });
  return () => {
    stopEvents();
    ipcMain.removeHandler('rpc');
  };
}

/** A window we created, showing our own page in its top frame (not something it was tricked into loading). */
function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return ourWebContents.has(event.sender.id) && !!frame && frame === event.sender.mainFrame && isOwnUrl(frame.url);
}

function isCallEnvelope(v: unknown): v is CallEnvelope {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return typeof e.id === 'number' && typeof e.name === 'string';
}
