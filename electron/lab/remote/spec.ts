import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import SSHConfig, { LineType, type Line } from 'ssh-config';
import { hostKeyOptions, type HostKeyOptions } from './knownHostsConfig';

/** Everything needed to reach one host: resolved from ~/.ssh/config and what the user typed. */
export interface HostSpec {
  /** The name the user gave (an alias or the host itself); runs are stored as model "host:<name>". */
  name: string;
  host: string;
  port: number;
  user: string;
  identityFiles: string[];
  /** Hosts to hop through, first hop first (ProxyJump). */
  jumps: HostSpec[];
  /** True when ~/.ssh/config had a Host section for the name. */
  fromConfig: boolean;
  /** HostKeyAlias, UserKnownHostsFile and GlobalKnownHostsFile for this host (each hop has its own). */
  hostKeys: HostKeyOptions;
}

class HostSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HostSpecError';
  }
}

/** A hostname, IPv4 or bracketed IPv6: no spaces, no shell metacharacters, no leading dash. */
const HOST_RE = /^(?:\[[0-9a-fA-F:.%a-zA-Z]+\]|[A-Za-z0-9_](?:[A-Za-z0-9._-]{0,252}))$/;
const USER_RE = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/;

export interface TypedTarget {
  user?: string;
  host: string;
  port?: number;
}

/**
 * Parses `[user@]host[:port]` (IPv6 as `[::1]:2222`). Refuses anything else with a line that says what is
 * wrong, so a typo never reaches ssh2 as a strange hostname.
 */
export function parseTarget(text: string): TypedTarget {
  const t = text.trim();
  if (!t) throw new HostSpecError('no host given: type an alias from ~/.ssh/config or user@host[:port]');
  let rest = t;
  let user: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    user = rest.slice(0, at);
    rest = rest.slice(at + 1);
    if (!USER_RE.test(user)) throw new HostSpecError(`"${user}" is not a valid user name in ${JSON.stringify(t)}: use letters, digits, . _ -`);
  }
  let host = rest;
  let port: number | undefined;
  const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(rest);
  if (m) {
    host = m[1];
    port = Number(m[2]);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new HostSpecError(`port ${m[2]} in ${JSON.stringify(t)} is out of range: use 1-65535`);
  } else if (rest.includes(':') && !rest.startsWith('[')) {
    throw new HostSpecError(`cannot read ${JSON.stringify(t)}: write user@host:port, and IPv6 addresses in brackets ([::1]:22)`);
  }
  if (!HOST_RE.test(host)) throw new HostSpecError(`"${host}" is not a valid host name: use letters, digits, . _ - (IPv6 in brackets)`);
  if (host.startsWith('[')) host = host.slice(1, -1);
  return { user, host, port };
}

export interface ResolveOptions {
  /** Text of ~/.ssh/config; read from `home` when left out. */
  configText?: string;
  home?: string;
  /** Overrides from the command line (--port, --identity). */
  port?: number;
  identityFile?: string;
  localUser?: string;
}

export async function readSshConfig(home = os.homedir()): Promise<string> {
  try {
    return await readFile(path.join(home, '.ssh', 'config'), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw new HostSpecError(`cannot read ${path.join(home, '.ssh', 'config')}: ${(err as Error).message}`);
  }
}

/** Parses ssh_config text, dropping what would run a program or a DNS query while we only read it. */
function parseSshConfig(text: string): SSHConfig {
  const config = SSHConfig.parse(text);
  const drop = (lines: Line[]) => {
    for (let i = lines.length - 1; i >= 0; i--) {
      const line = lines[i];
      if (line.type !== LineType.DIRECTIVE) continue;
      // CanonicalizeHostName makes the parser run nslookup; Match exec would run a shell command.
      if (/^canonicalizehostname$/i.test(line.param)) lines.splice(i, 1);
      else if ('config' in line) drop(line.config);
    }
  };
  drop(config);
  return config;
}

/** Host aliases written in ~/.ssh/config (patterns and negations left out): what the Hosts page offers. */
export function configAliases(text: string): string[] {
  const out: string[] = [];
  for (const line of parseSshConfig(text)) {
    if (line.type !== LineType.DIRECTIVE || !/^host$/i.test(line.param)) continue;
    const values = Array.isArray(line.value) ? line.value.map((v) => v.val) : String(line.value).split(/\s+/);
    for (const v of values) if (v && !/[*?!]/.test(v)) out.push(v);
  }
  return [...new Set(out)];
}

/**
 * Resolves what the user typed, as OpenSSH would: the typed user/port win, then the first matching value in
 * ~/.ssh/config (HostName, User, Port, IdentityFile, ProxyJump), then the defaults.
 */
export async function resolveHost(target: string, opts: ResolveOptions = {}, depth = 0): Promise<HostSpec> {
  if (depth > 5) throw new HostSpecError(`ProxyJump goes more than 5 hops deep at ${target}: check ~/.ssh/config for a loop`);
  const home = opts.home ?? os.homedir();
  const text = opts.configText ?? (await readSshConfig(home));
  const typed = parseTarget(target);
  const config = parseSshConfig(text);
  const computed = config.compute(typed.host, { ignoreCase: true, matchExec: false }) as Record<string, string | string[] | undefined>;
  const one = (k: string) => {
    const v = computed[k];
    return Array.isArray(v) ? v[0] : v;
  };
  const fromConfig = config.some((l) => l.type === LineType.DIRECTIVE && /^host$/i.test(l.param) && 'config' in l && hostValues(l).some((v) => !/[*?!]/.test(v) && v === typed.host));
  const host = expandTokens(one('hostname') ?? typed.host, typed.host);
  const portText = opts.port ?? typed.port ?? one('port');
  const port = portText === undefined ? 22 : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new HostSpecError(`Port ${portText} for ${typed.host} in ~/.ssh/config is not a port number (1-65535)`);
  const localUser = opts.localUser ?? os.userInfo().username;
  const user = typed.user ?? one('user') ?? localUser;
  if (!USER_RE.test(user)) throw new HostSpecError(`User "${user}" for ${typed.host} is not a valid user name`);
  const hostKeys = hostKeyOptions(computed, { home, localUser, host, original: typed.host, port, remoteUser: user });
  const ids = opts.identityFile ? [opts.identityFile] : ((computed.identityfile as string[] | undefined) ?? []);
  const identityFiles = ids.map((f) => expandPath(expandTokens(f, typed.host), home));
  const jumpText = one('proxyjump');
  const jumps: HostSpec[] = [];
  if (jumpText && jumpText.toLowerCase() !== 'none') {
    for (const hop of jumpText.split(',').map((s) => s.trim()).filter(Boolean)) {
      const spec = await resolveHost(hop.replace(/^ssh:\/\//, ''), { configText: text, home, localUser: opts.localUser }, depth + 1);
      jumps.push(...spec.jumps, { ...spec, jumps: [] });
    }
  }
  if (one('proxycommand') && one('proxycommand') !== 'none') {
    throw new HostSpecError(`${typed.host} uses ProxyCommand in ~/.ssh/config, which isolab does not run: use ProxyJump instead`);
  }
  return { name: target.trim(), host, port, user, identityFiles, jumps, fromConfig, hostKeys };
}

function hostValues(line: Line): string[] {
  if (line.type !== LineType.DIRECTIVE) return [];
  return Array.isArray(line.value) ? line.value.map((v) => v.val) : String(line.value).split(/\s+/);
}

/** ~ and the tokens OpenSSH expands in IdentityFile and HostName that matter here (%h, %%, %d). */
function expandTokens(value: string, host: string): string {
  return value.replace(/%([%hn])/g, (_, t: string) => (t === '%' ? '%' : host));
}

function expandPath(p: string, home: string): string {
  const withHome = p.replace(/^~(?=$|\/)/, home).replace(/%d/g, home);
  return path.isAbsolute(withHome) ? withHome : path.join(home, '.ssh', withHome);
}

/** The key identities OpenSSH tries when the config names none. */
export const DEFAULT_IDENTITIES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/** How a spec reads in messages: user@host:port (via jump). */
export function describeSpec(spec: HostSpec): string {
  const h = spec.host.includes(':') ? `[${spec.host}]` : spec.host;
  return `${spec.user}@${h}:${spec.port}` + (spec.jumps.length ? ` via ${spec.jumps.map((j) => j.host).join(' -> ')}` : '');
}
