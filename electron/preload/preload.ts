// The renderer's only door to the app: `window.engram` with call, on and pathForFile, nothing else.
// Runs sandboxed, so it is bundled to one CommonJS file that requires only `electron`.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { EngramBridge, EventEnvelope, ReplyEnvelope } from '../contract/envelope.js';

let nextId = 1;

const bridge: Required<EngramBridge> = {
  async call(name, input) {
    const reply = (await ipcRenderer.invoke('rpc', { id: nextId++, name, input })) as ReplyEnvelope;
    if (reply.ok) return reply.value as never;
    // An Error crosses contextBridge with its message only, so the code is also kept in the message.
    const err = new Error(`${reply.error.code}: ${reply.error.message}`) as Error & { code: string };
    err.code = reply.error.code;
    throw err;
  },
  on(event, listener) {
    const onEvent = (_e: unknown, envelope: EventEnvelope) => {
      if (envelope.event === event) listener(envelope.payload as never);
    };
    ipcRenderer.on('event', onEvent);
    return () => void ipcRenderer.removeListener('event', onEvent);
  },
  pathForFile(file) {
    return webUtils.getPathForFile(file as File);
  },
};

contextBridge.exposeInMainWorld('engram', bridge);
