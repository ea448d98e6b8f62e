import { z } from 'zod';
import { HostFacts, RunListItem } from './run';
import { Note } from './note-schema';

/**
 * The Lab API for remote hosts (SSH): schemas for the Hosts page, the CLI's `isolab bench host` and fleets.
 * Entries have the shape of labMethods entries and are spread into it in shared/api.ts.
 */

/** What the user may type for a host: an alias from ~/.ssh/config or [user@]host[:port]. No spaces, no shell. */
const HostTargetText = z
  .string()
  .trim()
  .min(1, 'type a host: an alias from ~/.ssh/config or user@host[:port]')
  .max(300)
  .regex(/^[A-Za-z0-9_.@:[\]%-]+$/, 'a host is an alias or user@host[:port]: letters, digits and . _ - @ : [ ] only');

const filePath = z.string().min(1).max(1024).refine((p) => !p.includes('\0'), 'not a file path');

export const HostConnectRequest = z.object({
  target: HostTargetText,
  port: z.number().int().min(1).max(65535).optional(),
  identityFile: filePath.optional(),
  /** Used once for an encrypted key; stored only when `rememberPassphrase` and the OS keychain (safeStorage) is there. */
  passphrase: z.string().max(1024).optional(),
  rememberPassphrase: z.boolean().optional(),
});
export type HostConnectRequest = z.input<typeof HostConnectRequest>;

export const HostBenchRequest = HostConnectRequest.extend({
  /** Reboot the host and time reboot-to-SSH: only with this explicit consent. */
  reboot: z.boolean().default(false),
  acceptNew: z.boolean().default(false),
  /** Also run the container suite on the host's Docker engine over the same SSH connection. */
  containers: z.boolean().default(false),
  /** Fresh SSH connections timed for connect and exec latency. */
  iterations: z.number().int().min(1).max(200).default(5),
  containerIterations: z.number().int().min(1).max(1000).default(10),
});
export type HostBenchRequest = z.input<typeof HostBenchRequest>;
export type HostBenchPlan = z.output<typeof HostBenchRequest>;

export const SavedHost = z.object({
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a host name is 1-64 letters, digits, . _ -'),
  target: HostTargetText,
  port: z.number().int().min(1).max(65535).optional(),
  identityFile: filePath.optional(),
});
export type SavedHost = z.infer<typeof SavedHost>;

export const HostListItem = SavedHost.extend({
  /** "config": a Host alias of ~/.ssh/config; "saved": added in isolab. */
  source: z.enum(['config', 'saved']),
  passphraseRemembered: z.boolean().optional(),
});
export type HostListItem = z.infer<typeof HostListItem>;

/**
 * Why a passphrase cannot be remembered here: no keychain at all (the CLI, browser mode), Linux's basic_text
 * safeStorage backend (not encryption), or a backend isolab cannot name.
 */
export const KeychainRefusal = z.enum(['no-keychain', 'basic-text', 'backend-unknown']);
export type KeychainRefusal = z.infer<typeof KeychainRefusal>;

export const HostTestResult = z.object({
  /** refused-key: a key marked @revoked, or a host only a @cert-authority vouches for (certificates are not verified). */
  status: z.enum(['ok', 'unknown-key', 'changed-key', 'refused-key', 'needs-passphrase', 'auth-failed', 'unreachable', 'error']),
  /** user@host:port as resolved from ~/.ssh/config and what was typed. */
  resolved: z.string().optional(),
  keyType: z.string().optional(),
  fingerprint: z.string().optional(),
  /** changed-key: the key types known_hosts holds for the host (the new key may be of another type). */
  keyTypesOnFile: z.array(z.string()).optional(),
  identityFile: z.string().optional(),
  /** Set when a passphrase cannot be remembered on this system (with needs-passphrase, or after asking to remember one). */
  keychain: KeychainRefusal.optional(),
  connectMs: z.number().optional(),
  execMs: z.number().optional(),
  message: z.string().optional(),
});
export type HostTestResult = z.infer<typeof HostTestResult>;

export const AcceptHostKeyRequest = z.object({
  target: HostTargetText,
  port: z.number().int().min(1).max(65535).optional(),
  /** The fingerprint the user saw; accepted only if it is the key the host presented to the last test. */
  fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'not a SHA256 fingerprint'),
});
export type AcceptHostKeyRequest = z.input<typeof AcceptHostKeyRequest>;

export const FleetRequest = z.object({
  targets: z.array(HostTargetText).min(1).max(500),
  concurrency: z.number().int().min(1).max(64).default(4),
  iterations: z.number().int().min(1).max(200).default(5),
});
export type FleetRequest = z.input<typeof FleetRequest>;

const FleetStarted = z.object({ fleetId: z.string() });

// ---- probe results (stored in Run documents of kind "bench:host") ----

export const Virtualization = z.object({
  /** systemd-detect-virt: "none", "kvm", "microsoft", "docker" ... */
  detectVirt: z.string().optional(),
  sysVendor: z.string().optional(),
  productName: z.string().optional(),
  chassisAssetTag: z.string().optional(),
  /** Set only when the DMI chassis asset tag is Azure's; then, and only then, IMDS was asked. */
  azure: z.object({ vmSize: z.string().optional(), location: z.string().optional(), error: z.string().optional() }).optional(),
});
export type Virtualization = z.infer<typeof Virtualization>;

export const WaterfallBar = z.object({ label: z.string(), startMs: z.number(), durationMs: z.number(), group: z.string() });
export type WaterfallBar = z.infer<typeof WaterfallBar>;

export const BootTimeline = z.object({
  bootId: z.string().optional(),
  /** systemd-analyze time, in ms: firmware, loader, kernel, initrd, userspace, total. */
  systemd: z.record(z.string(), z.number()).optional(),
  blame: z.array(z.object({ unit: z.string(), ms: z.number() })),
  criticalChain: z.array(z.object({ unit: z.string(), atMs: z.number(), tookMs: z.number() })),
  cloudInit: z
    .object({
      stages: z.array(z.object({ name: z.string(), ms: z.number() })),
      blame: z.array(z.object({ name: z.string(), ms: z.number() })),
    })
    .optional(),
  /** mtime of /var/lib/waagent/provisioned (the Azure agent's provisioning marker), ISO time. */
  waagentProvisionedAt: z.string().optional(),
  waterfall: z.array(WaterfallBar),
  notes: z.array(Note),
});
export type BootTimeline = z.infer<typeof BootTimeline>;

export const IdleFootprint = z.object({
  memoryTotalBytes: z.number(),
  memoryUsedBytes: z.number(),
  diskTotalBytes: z.number().optional(),
  diskUsedBytes: z.number().optional(),
  processes: z.number().int(),
  load1: z.number().optional(),
});
export type IdleFootprint = z.infer<typeof IdleFootprint>;

export const RebootResult = z.object({
  /** From the reboot command to the first successful exec on the new boot. */
  rebootToSshMs: z.number(),
  bootIdBefore: z.string(),
  bootIdAfter: z.string(),
  attempts: z.number().int(),
  /** The init ignored the request and `reboot -f` was sent; the time counts from that command. */
  forced: z.boolean().optional(),
});
export type RebootResult = z.infer<typeof RebootResult>;

export const HostProbe = z.object({
  facts: HostFacts,
  virtualization: Virtualization,
  boot: BootTimeline,
  footprint: IdleFootprint,
  reboot: RebootResult.optional(),
});
export type HostProbe = z.infer<typeof HostProbe>;

const hostName = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'not a host name');

/**
 * A fleet saved on the Hosts page: a name for a set of hosts (saved hosts or ~/.ssh/config aliases, by name) that
 * are compared together (`isolab compare --fleet NAME`, "Compare fleet"). Members are names, not copies: a
 * host's address changes in one place.
 */
export const SavedFleet = z.object({
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a fleet name is 1-64 letters, digits, . _ -'),
  hosts: z
    .array(hostName)
    .min(1, 'a fleet holds at least one host')
    .max(500)
    .refine((h) => new Set(h).size === h.length, 'a host is listed twice in the fleet'),
});
export type SavedFleet = z.infer<typeof SavedFleet>;

export const hostMethods = {
  listHosts: { args: z.tuple([]), result: z.array(HostListItem) },
  saveHost: { args: z.tuple([SavedHost]), result: HostListItem },
  removeHost: { args: z.tuple([hostName]), result: z.boolean() },
  testHost: { args: z.tuple([HostConnectRequest]), result: HostTestResult },
  acceptHostKey: { args: z.tuple([AcceptHostKeyRequest]), result: z.boolean() },
  startHostBench: { args: z.tuple([HostBenchRequest]), result: z.object({ runId: z.string() }) },
  startFleet: { args: z.tuple([FleetRequest]), result: FleetStarted },
  /** Host runs beside local ones, for the side-by-side view. */
  listHostRuns: { args: z.tuple([]), result: z.array(RunListItem) },
  forgetPassphrase: { args: z.tuple([hostName]), result: z.boolean() },
  listFleets: { args: z.tuple([]), result: z.array(SavedFleet) },
  saveFleet: { args: z.tuple([SavedFleet]), result: SavedFleet },
  removeFleet: { args: z.tuple([hostName]), result: z.boolean() },
} as const;

/** Events of remote work, merged into LabEvent. */
export const hostEvents = [
  z.object({
    type: z.literal('host-progress'),
    host: z.string(),
    step: z.enum(['connect', 'latency', 'facts', 'virtualization', 'boot', 'footprint', 'reboot', 'containers', 'saved', 'failed']),
    fleetId: z.string().optional(),
    runId: z.string().optional(),
    message: z.string().optional(),
    done: z.number().int().optional(),
    total: z.number().int().optional(),
  }),
] as const;
