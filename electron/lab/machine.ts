import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/**
 * A stable id for the machine a document was measured on, that says nothing about it: systemd's
 * /etc/machine-id, never stored as it is (machine-id(5) asks applications not to expose it), but keyed into an
 * HMAC-SHA256 of isolab's own application id, as sd_id128_get_machine_app_specific() does. The same machine
 * gives the same id on every run, another application's derived id cannot be linked to it, and the raw id
 * cannot be recovered from it.
 */
const APP_ID = 'isolab.machine/1';

/** The file's text (32 hex digits and a newline), or undefined when it is not a machine id. */
export function machineIdOf(raw: string | undefined): string | undefined {
  const id = raw?.trim().toLowerCase();
  if (!id || !/^[0-9a-f]{32}$/.test(id) || /^0+$/.test(id)) return undefined;
  return createHmac('sha256', id).update(APP_ID).digest('hex').slice(0, 32);
}

/** Where systemd and D-Bus keep the id; an image built without one (a container) has neither. */
const MACHINE_ID_FILES = ['/etc/machine-id', '/var/lib/dbus/machine-id'] as const;

/** This machine's derived id, or undefined when it has no machine-id (macOS, Windows, a bare container). */
export async function localMachineId(files: readonly string[] = MACHINE_ID_FILES): Promise<string | undefined> {
  for (const file of files) {
    const id = machineIdOf(await readFile(file, 'utf8').catch(() => undefined));
    if (id) return id;
  }
  return undefined;
}
