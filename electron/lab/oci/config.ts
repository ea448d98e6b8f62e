import { LABEL_MANAGED, LABEL_OWNER_HOST, LABEL_OWNER_PID, LABEL_RUN } from '../labels';

/** Applets linked in a bundle's rootfs, as in the probe image. */
export const APPLETS = ['sh', 'echo', 'true', 'sleep', 'cat', 'ls', 'nc', 'httpd', 'uname', 'id', 'ps', 'free', 'dd', 'head', 'grep', 'wc'];
/** Directories the rootfs has besides bin (mount points of the config's mounts). */
export const ROOTFS_DIRS = ['proc', 'dev', 'sys', 'tmp'];
const CAPS = ['CAP_AUDIT_WRITE', 'CAP_KILL', 'CAP_NET_BIND_SERVICE'];

/** Every container id isolab gives a raw runtime starts with this: sweeps only ever touch such ids. */
export const OCI_ID_PREFIX = 'isolab-';

export interface OciConfigOptions {
  /** The rootfs, an absolute path on the host that runs the runtime. */
  rootfs: string;
  id: string;
  args: string[];
  network: 'none' | 'host';
  runId: string;
  /** The isolab process that made it (recorded in the annotations). */
  ownerPid: number;
  /** This machine's host name, for a bundle on a remote host: its sweep tells this machine's containers from others'. */
  ownerHost?: string;
}

/**
 * The config.json of one instance: the probe's busybox rootfs read-only, the workload's command, its own
 * namespaces (the host's network for a `host` workload) and cgroup under /isolab. The same for a local bundle
 * and one made on a remote host, so both time the same container.
 */
export function ociConfig(o: OciConfigOptions): Record<string, unknown> {
  const namespaces = [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }, ...(o.network === 'host' ? [] : [{ type: 'network' }])];
  return {
    ociVersion: '1.0.2',
    process: { terminal: false, user: { uid: 0, gid: 0 }, args: o.args, env: ['PATH=/bin'], cwd: '/', noNewPrivileges: true, capabilities: { bounding: CAPS, effective: CAPS, permitted: CAPS } },
    root: { path: o.rootfs, readonly: true },
    hostname: 'isolab',
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc' },
      { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
      { destination: '/tmp', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'mode=1777'] },
      { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    ],
    annotations: { [LABEL_MANAGED]: 'true', [LABEL_OWNER_PID]: String(o.ownerPid), [LABEL_RUN]: o.runId, ...(o.ownerHost ? { [LABEL_OWNER_HOST]: o.ownerHost } : {}) },
    linux: { namespaces, cgroupsPath: `/isolab/${o.id}`, maskedPaths: ['/proc/kcore', '/proc/keys', '/proc/timer_list'], readonlyPaths: ['/proc/sys', '/proc/sysrq-trigger'] },
  };
}

/** A fresh container id: the prefix, the isolab process, a sequence number and a random tail. */
export function ociContainerId(seq: number, pid = process.pid): string {
  return `${OCI_ID_PREFIX}${pid}-${seq}-${Math.floor(Math.random() * 0xffff).toString(16)}`;
}
