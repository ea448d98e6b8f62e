import type { RebootResult } from '../../../shared/api-hosts';
import type { SshConnection } from './connect';
import { BOOT_ID_COMMAND } from './probes';
import { describeSpec } from './spec';

/**
 * Constants. Directly first (root, or a user polkit lets reboot), then only through passwordless sudo: never
 * a password prompt. `id` is not assumed (a minimal busybox guest has none).
 */
export const REBOOT_COMMAND = '{ systemctl reboot || reboot; } 2>/dev/null || sudo -n systemctl reboot 2>/dev/null || sudo -n reboot';
/** Only for an init that ignored the request (not systemd, old boot still up after the grace time). */
export const FORCE_REBOOT_COMMAND = 'sync; reboot -f 2>/dev/null || sudo -n reboot -f';
export const INIT_COMMAND = 'cat /proc/1/comm';

export interface RebootOptions {
  /** A fresh connection to the same host (the old one dies with the reboot). */
  reconnect: () => Promise<SshConnection>;
  timeoutMs?: number;
  intervalMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  onAttempt?: (attempt: number, error?: string) => void;
  /** How long the old boot may keep answering before a non-systemd init is forced (reboot -f). */
  graceMs?: number;
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
  const init = (await conn.exec(INIT_COMMAND).catch(() => undefined))?.stdout.trim();
  let t0 = now();
  const sent = await conn.exec(REBOOT_COMMAND, { timeoutMs: 15_000 }).catch(() => undefined);
  if (sent && typeof sent.code === 'number' && sent.code !== 0) {
    throw new Error(
      `the reboot command failed on ${describeSpec(conn.spec)} (exit ${sent.code}${sent.stderr.trim() ? `: ${sent.stderr.trim().slice(0, 200)}` : ''}): ` +
        'log in as root or allow passwordless sudo for systemctl reboot',
    );
  }
  conn.close();
  let attempts = 0;
  let forced = false;
  let sawOldBoot = false;
  const graceMs = o.graceMs ?? 30_000;
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
        return { rebootToSshMs: now() - t0, bootIdBefore, bootIdAfter: id, attempts, forced, conn: c };
      }
      sawOldBoot = true;
      // Still the old boot. systemd always acts on a reboot; another init may have ignored it (a bare
      // /init script as PID 1): then, once, force it, and time from that command.
      if (!forced && init !== 'systemd' && now() - t0 > graceMs) {
        o.onAttempt?.(attempts, `the init (${init || 'unknown'}) ignored the reboot request: forcing it (reboot -f)`);
        forced = true;
        t0 = now();
        await c.exec(FORCE_REBOOT_COMMAND, { timeoutMs: 5_000 }).catch(() => undefined);
      } else o.onAttempt?.(attempts, 'still the old boot');
      c.close();
    } catch (err) {
      o.onAttempt?.(attempts, (err as Error).message);
    }
    await sleep(o.intervalMs ?? 500);
  }
  throw new Error(
    sawOldBoot
      ? `${describeSpec(conn.spec)} still ran the boot it had before the reboot command ${Math.round(timeoutMs / 1000)} s later (same boot id): it did not reboot`
      : `${describeSpec(conn.spec)} did not answer over SSH within ${Math.round(timeoutMs / 1000)} s of the reboot command`,
  );
}
