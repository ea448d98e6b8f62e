// Exposes exactly the Lab API (shared/api.ts) on window.isolab, and nothing else: no ipcRenderer, no Node.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENT_CHANNEL, ipcChannel, LAB_METHOD_NAMES } from '../shared/api-channels';
import type { LabApi, LabEvent } from '../shared/api';

const api: Record<string, unknown> = {};
for (const method of LAB_METHOD_NAMES) {
  api[method] = (...args: unknown[]) => ipcRenderer.invoke(ipcChannel(method), ...args);
}
api.onEvent = (listener: (event: LabEvent) => void) => {
  const handler = (_event: IpcRendererEvent, payload: LabEvent) => listener(payload);
  ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
  return () => {
    ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
  };
};

contextBridge.exposeInMainWorld('isolab', api as LabApi);
