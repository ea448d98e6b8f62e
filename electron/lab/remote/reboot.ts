import type { RebootResult } from '../../../shared/api-hosts';
import type { SshConnection } from './connect';
import { BOOT_ID_COMMAND } from './probes';
import { describeSpec } from './spec';

/** A constant: root reboots directly, anyone else only through passwordless sudo (never a password prompt). */
export const REBOOT_COMMAND =
  'if [ "$(id -u)" = 0 ]; then systemctl reboot 2>/dev/null || reboot; else sudo -n systemctl reboot 2>/dev/null || sudo -n reboot; fi';

export interface RebootOptions {
  /** A fresh connection to the same host (the old one dies with the reboot). */
  reconnect: () => Promise<SshConnection>;
  timeoutMs?: number;
  intervalMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  onAttempt?: (attempt: number, error?: string) => void;
}

/**
 * Reboot-to-SSH: from the moment the reboot command is sent to the first successful exec on the NEW boot.
 * The boot id (/proc/sys/kernel/random/boot_id) must differ, which proves a reboot happened and that we did
 * not reach the old system while it was still shutting down. Call only with the user's explicit consent.
 */
export async function rebootToSsh(conn: SshConnection, o: RebootOptions): Promise<RebootResult & { conn: SshConnection }> {
  const now = o.now ?? (() => performance.now());
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const timeoutMs = o.timeoutMs ?? 10 * 60_000;
  const before = await conn.exec(BOOT_ID_COMMAND);
  const bootIdBefore = before.stdout.trim();
  if (before.code !== 0 || !bootIdBefore) throw new Error(`cannot read the boot id on ${describeSpec(conn.spec)}; reboot-to-SSH needs /proc/sys/kernel/random/boot_id`);
  const t0 = now();
  const sent = await conn.exec(REBOOT_COMMAND, { timeoutMs: 15_000 }).catch(() => undefined);
  if (sent && typeof sent.code === 'number' && sent.code !== 0) {
    throw new Error(
      `the reboot command failed on ${describeSpec(conn.spec)} (exit ${sent.code}${sent.stderr.trim() ? `: ${sent.stderr.trim().slice(0, 200)}` : ''}): ` +
        'log in as root or allow passwordless sudo for systemctl reboot',
    );
  }
  conn.close();
  let attempts = 0;
  while (now() - t0 < timeoutMs) {
    attempts++;
    try {
      const c = await o.reconnect();
      const r = await c.exec(BOOT_ID_COMMAND, { timeoutMs: 10_000 }).catch((err: Error) => {
        c.close();
        throw err;
      });
      const id = r.stdout.trim();
      if (r.code === 0 && id && id !== bootIdBefore) {
        return { rebootToSshMs: now() - t0, bootIdBefore, bootIdAfter: id, attempts, conn: c };
      }
      c.close(); // still the old boot, shutting down
      o.onAttempt?.(attempts, 'still the old boot');
    } catch (err) {
      o.onAttempt?.(attempts, (err as Error).message);
    }
    await sleep(o.intervalMs ?? 500);
  }
  throw new Error(`${describeSpec(conn.spec)} did not answer over SSH within ${Math.round(timeoutMs / 1000)} s of the reboot command`);
}
