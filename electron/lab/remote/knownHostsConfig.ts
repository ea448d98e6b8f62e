import os from 'node:os';
import path from 'node:path';

/**
 * Where a host's keys are looked up and recorded, from ~/.ssh/config as OpenSSH reads it: HostKeyAlias,
 * UserKnownHostsFile (read, and the first one written) and GlobalKnownHostsFile (read only).
 */
export interface HostKeyOptions {
  /** HostKeyAlias: the name the key is filed under instead of host or [host]:port. */
  alias?: string;
  /** Absolute paths; empty for `UserKnownHostsFile none` (then no key can be recorded). */
  userFiles: string[];
  globalFiles: string[];
}

const DEFAULT_USER_KNOWN_HOSTS = ['~/.ssh/known_hosts', '~/.ssh/known_hosts2'];
const DEFAULT_GLOBAL_KNOWN_HOSTS = ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'];

/** What the percent tokens of ssh_config stand for, for one host. */
export interface TokenContext {
  home: string;
  localUser: string;
  /** %h: the host after HostName. */
  host: string;
  /** %n: the host as typed. */
  original: string;
  port: number;
  remoteUser: string;
  alias?: string;
}

class KnownHostsConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KnownHostsConfigError';
  }
}

/**
 * One UserKnownHostsFile/GlobalKnownHostsFile path: ~, ${VAR} and the tokens ssh_config allows there
 * (%% %d %h %i %k %L %l %n %p %r %u). %C is refused by name rather than guessed.
 */
function expandKnownHostsPath(value: string, ctx: TokenContext, option: string): string {
  let p = value.replace(/^~(?=$|\/)/, ctx.home);
  p = p.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const v = process.env[name];
    if (v === undefined) throw new KnownHostsConfigError(`${option} ${value} for ${ctx.original} in ~/.ssh/config uses \${${name}}, which is not set`);
    return v;
  });
  p = p.replace(/%(.)/g, (_, t: string) => {
    switch (t) {
      case '%':
        return '%';
      case 'd':
        return ctx.home;
      case 'h':
        return ctx.host;
      case 'i':
        return String(os.userInfo().uid);
      case 'k':
        return ctx.alias ?? ctx.original;
      case 'L':
        return os.hostname().split('.')[0];
      case 'l':
        return os.hostname();
      case 'n':
        return ctx.original;
      case 'p':
        return String(ctx.port);
      case 'r':
        return ctx.remoteUser;
      case 'u':
        return ctx.localUser;
      default:
        throw new KnownHostsConfigError(`${option} ${value} for ${ctx.original} in ~/.ssh/config uses the token %${t}, which isolab does not expand: write the path out`);
    }
  });
  // OpenSSH reads a relative path from its working folder, which the desktop app does not have.
  if (!path.isAbsolute(p)) throw new KnownHostsConfigError(`${option} ${value} for ${ctx.original} in ~/.ssh/config is a relative path: write it from / or from ~`);
  return p;
}

/** The host key options of one host, from the values ssh-config computed (lower-case keys). */
export function hostKeyOptions(computed: Record<string, string | string[] | undefined>, ctx: Omit<TokenContext, 'alias'>): HostKeyOptions {
  const list = (v: string | string[] | undefined, fallback: string[]) => (v === undefined ? fallback : Array.isArray(v) ? v : v.split(/\s+/).filter(Boolean));
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  if (one(computed.knownhostscommand) && one(computed.knownhostscommand) !== 'none') {
    throw new KnownHostsConfigError(`${ctx.original} uses KnownHostsCommand in ~/.ssh/config, which isolab does not run: list the keys in a UserKnownHostsFile instead`);
  }
  const alias = one(computed.hostkeyalias);
  const full: TokenContext = { ...ctx, alias };
  const files = (option: string, v: string | string[] | undefined, fallback: string[]) => {
    const values = list(v, fallback);
    if (values.length === 1 && values[0].toLowerCase() === 'none') return [];
    return values.map((f) => expandKnownHostsPath(f, full, option));
  };
  return {
    alias,
    userFiles: files('UserKnownHostsFile', computed.userknownhostsfile, DEFAULT_USER_KNOWN_HOSTS),
    globalFiles: files('GlobalKnownHostsFile', computed.globalknownhostsfile, DEFAULT_GLOBAL_KNOWN_HOSTS),
  };
}
