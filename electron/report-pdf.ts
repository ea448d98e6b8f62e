import type { BrowserWindow as BrowserWindowType, PrintToPDFOptions } from 'electron';

/**
 * The document the window shows, from its URL's hash (#/compare/<id>, #/runs/<id>): what "Save report as
 * PDF…" prints. Undefined on any other page.
 */
export function shownDocumentId(url: string): string | undefined {
  const hash = url.split('#')[1] ?? '';
  const m = /^\/(?:compare|runs)\/([A-Za-z0-9._-]{1,128})$/.exec(hash);
  return m?.[1];
}

/** A4, backgrounds kept (the chart's bars), the report's own print stylesheet deciding the rest. */
const PDF_OPTIONS: PrintToPDFOptions = { pageSize: 'A4', printBackground: true, preferCSSPageSize: true };

/**
 * The report's HTML as a PDF, printed by Chromium in a hidden window: no preload, no Node, no script (the
 * report has none and JavaScript is off), sandboxed; the window is destroyed whatever happens.
 */
export async function htmlToPdf(BrowserWindow: typeof BrowserWindowType, html: string): Promise<Buffer> {
  const win = new BrowserWindow({
    show: false,
    webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false, webSecurity: true, disableBlinkFeatures: 'Auxclick' },
  });
  try {
    await win.loadURL(`data:text/html;charset=utf-8;base64,${Buffer.from(html).toString('base64')}`);
    return await win.webContents.printToPDF(PDF_OPTIONS);
  } finally {
    win.destroy();
  }
}
