// The Electron face: a window over the Lab, locked down per Electron's security checklist. Every behaviour
// lives in modules tested under Node (lab/, bridge.ts, app-origin.ts); this file only wires them to Electron.
import { app, BrowserWindow, dialog, ipcMain, Menu, net, protocol, safeStorage, session } from 'electron';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { IPC_EVENT_CHANNEL, ipcChannel, labMethodNames } from '../shared/api';
import { APP_CSP, APP_SCHEME, APP_URL, isTrustedUrl, resolveAppFile } from './app-origin';
import { dispatch } from './bridge';
import { Lab } from './lab/lab';
import { htmlToPdf, shownDocumentId } from './report-pdf';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(here, 'renderer');
const lab = new Lab('electron');

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.enableSandbox();

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isTrustedUrl(url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

async function ready(): Promise<void> {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(rendererDir, request.url);
    if (!file) return new Response('not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', APP_CSP);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(res.body, { status: res.status, headers });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  for (const method of labMethodNames) {
    ipcMain.handle(ipcChannel(method), (event, ...args: unknown[]) => {
      if (!isTrustedUrl(event.senderFrame?.url)) throw new Error('refused: the sender is not isolab\'s own page');
      return dispatch(lab, method, args);
    });
  }
  // Remembered SSH passphrases are encrypted by the OS keychain; never stored in plain text.
  lab.hosts.useSecrets(safeStorage);
  await lab.init();

  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    title: 'isolab',
    show: false,
    webPreferences: {
      preload: path.join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      // Middle-click opens links in new windows; the app has no use for it.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  const off = lab.onEvent((event) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, event);
  });
  win.on('closed', off);
  win.once('ready-to-show', () => win.show());
  Menu.setApplicationMenu(appMenu(win));
  await win.loadURL(APP_URL);
}

/**
 * The default menu, plus File › Save report as PDF…: the comparison or run the window shows, rendered by the
 * engine (the same HTML as Export report) and printed with Chromium's printToPDF in the main process.
 */
function appMenu(win: BrowserWindow): Menu {
  const savePdf = async () => {
    const id = shownDocumentId(win.webContents.getURL());
    if (!id) return void dialog.showMessageBox(win, { type: 'info', message: 'Open a comparison or a run first: the report is made of the one shown.' });
    try {
      const html = await lab.report([id], app.getLocale().startsWith('fr') ? 'fr' : 'en');
      const { canceled, filePath } = await dialog.showSaveDialog(win, { defaultPath: `isolab-report-${id}.pdf`, filters: [{ name: 'PDF', extensions: ['pdf'] }] });
      if (canceled || !filePath) return;
      await writeFile(filePath, await htmlToPdf(BrowserWindow, html));
    } catch (err) {
      dialog.showErrorBox('isolab', `The report could not be saved: ${(err as Error).message}`);
    }
  };
  const template = Menu.getApplicationMenu()?.items.map((i) => ({ role: i.role, label: i.label, submenu: i.submenu })) ?? [];
  return Menu.buildFromTemplate([
    { label: 'File', submenu: [{ label: 'Save report as PDF…', accelerator: 'CmdOrCtrl+Shift+P', click: () => void savePdf() }, { type: 'separator' }, { role: 'quit' }] },
    ...template.filter((i) => i.role !== 'fileMenu' && i.label !== 'File'),
  ]);
}

app.whenReady().then(ready).catch((err) => {
  console.error(`isolab: ${(err as Error).message}`);
  app.exit(1);
});

let quitting = false;
app.on('before-quit', (event) => {
  if (quitting) return;
  // Cancel runs under way and remove their containers before the process goes.
  event.preventDefault();
  quitting = true;
  void lab.shutdown().finally(() => app.quit());
});
app.on('window-all-closed', () => app.quit());
