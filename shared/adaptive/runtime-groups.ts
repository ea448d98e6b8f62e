import { z } from 'zod';
import type { RuntimeGroup } from './schema';

/**
 * Engine runtimes that are the same program, measured once and shown once with every name the engine gives
 * them.
 *
 * What `docker info` says (`{{json .Runtimes}}`), Docker 20.10 on Debian 12:
 *   {"crun":{"path":"/usr/bin/crun"},"io.containerd.runc.v2":{"path":"runc"},
 *    "io.containerd.runtime.v1.linux":{"path":"runc"},"runc":{"path":"runc"}}
 * A path without a slash is looked up on the daemon's PATH. Newer engines add "runtimeArgs", "status" and,
 * for shim-only runtimes, "runtimeType"/"options" with no path.
 *
 * Same program means the same runtime file (device and inode, when the caller could stat it; else the same
 * path string, which one daemon resolves the same way), the same arguments, and the same containerd shim.
 * The shim is not in `docker info`, and it matters: Docker 20.10 (daemon/runtime_unix.go, configureRuntimes)
 * makes "runc" an exact copy of "io.containerd.runc.v2" (containerd-shim-runc-v2), but runs
 * "io.containerd.runtime.v1.linux" under the legacy containerd-shim v1, a different process with a different
 * memory footprint (on this machine 7.6 MiB RSS against 12.9 MiB for the v2 shim). So that one is measured on
 * its own: merging it would hide a difference the footprint column shows. engineShim() encodes what the
 * engine does; grouping is conservative: missing evidence keeps runtimes apart, it never merges them.
 */

/** One entry of docker info's Runtimes map; unknown fields are kept out of the identity. */
export const EngineRuntime = z
  .object({
    path: z.string().optional(),
    runtimeArgs: z.array(z.string()).nullable().optional(),
    runtimeType: z.string().optional(),
    options: z.record(z.string(), z.unknown()).nullable().optional(),
  })
  .loose();
export type EngineRuntime = z.infer<typeof EngineRuntime>;
export const EngineRuntimes = z.record(z.string(), EngineRuntime);
export type EngineRuntimes = z.infer<typeof EngineRuntimes>;

/** Docker's shim for path-based runtimes since 20.10. */
const DEFAULT_SHIM = 'io.containerd.runc.v2';
/** The legacy name Docker 20.10 keeps for runc under containerd's v1 shim. */
const LEGACY_V1_RUNTIME = 'io.containerd.runtime.v1.linux';

/** The containerd shim the engine starts this runtime under: its runtimeType when given, else Docker's rule. */
export function engineShim(name: string, rt: EngineRuntime): string {
  if (rt.runtimeType) return rt.runtimeType;
  return name === LEGACY_V1_RUNTIME ? LEGACY_V1_RUNTIME : DEFAULT_SHIM;
}

/** What the caller found out about one runtime's program (electron/lab/adaptive/runtime-identity.ts). */
export interface RuntimeIdentity {
  name: string;
  /** The path as the engine gives it. */
  path?: string;
  /** The file it resolved to, when the caller could find and stat it. */
  file?: { realPath: string; dev: string; ino: string };
  /** Why there is no file identity (not on PATH, a remote engine …). */
  unresolved?: string;
  args: string[];
  shim: string;
  /** runtimeType options, part of the identity (a shim configured differently is a different setup). */
  options?: Record<string, unknown>;
}

/** The identities docker info's map gives before any file system look-up (remote engines stop here). */
export function identitiesFromEngine(runtimes: EngineRuntimes): RuntimeIdentity[] {
  return Object.entries(runtimes).map(([name, rt]) => ({
    name,
    path: rt.path || undefined,
    args: rt.runtimeArgs ?? [],
    shim: engineShim(name, rt),
    options: rt.options ?? undefined,
  }));
}

/** JSON with object keys sorted, so equal options give equal keys. */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as Record<string, unknown>).sort().map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function programOf(id: RuntimeIdentity): { basis: RuntimeGroup['basis']; key: string; program?: string } {
  if (id.file) return { basis: 'file', key: `file:${id.file.dev}:${id.file.ino}`, program: id.file.realPath };
  if (id.path) return { basis: 'path', key: `path:${id.path}`, program: id.path };
  return { basis: 'type', key: `type:${id.shim}` };
}

/** The key two runtimes must share to be the same program. */
export function identityKey(id: RuntimeIdentity): string {
  return [programOf(id).key, stableJson(id.args), id.shim, stableJson(id.options ?? {})].join('\u0000');
}

export interface GroupOptions {
  /** Measure every name on its own (the user asked for each). */
  each?: boolean;
  /** Names to prefer as the canonical one, best first: the engine's default runtime, then "runc". */
  prefer?: string[];
}

function canonicalOf(names: string[], prefer: string[]): string {
  for (const p of prefer) if (names.includes(p)) return p;
  // Otherwise the shortest name (what people type), then alphabetical: deterministic.
  return [...names].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0))[0];
}

/**
 * Runtimes grouped by the program they run, in the order of each group's first name in `ids`. Every name
 * appears in exactly one group.
 */
export function groupRuntimes(ids: readonly RuntimeIdentity[], opts: GroupOptions = {}): RuntimeGroup[] {
  const prefer = opts.prefer ?? ['runc'];
  const byKey = new Map<string, RuntimeIdentity[]>();
  for (const id of ids) {
    const k = identityKey(id);
    byKey.set(k, [...(byKey.get(k) ?? []), id]);
  }
  const groups: RuntimeGroup[] = [];
  for (const members of byKey.values()) {
    const names = members.map((m) => m.name);
    const p = programOf(members[0]);
    const base = { basis: p.basis, program: p.program, args: members[0].args, shim: members[0].shim };
    if (opts.each) {
      for (const name of names) {
        const others = names.filter((n) => n !== name).sort();
        groups.push({ canonical: name, aliases: [], ...base, ...(others.length ? { identicalTo: others } : {}) });
      }
      continue;
    }
    const canonical = canonicalOf(names, prefer);
    groups.push({ canonical, aliases: names.filter((n) => n !== canonical).sort(), ...base });
  }
  return groups;
}
