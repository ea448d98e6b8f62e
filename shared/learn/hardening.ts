// Zod-free, so the Learn page reads the engine's security options without the contract's schemas.

/** What the engine turns on for every container, from its security options. */
export interface EngineHardening {
  /** The seccomp profile's name ("default", "builtin", "unconfined" …), when seccomp is listed. */
  seccomp?: string;
  apparmor: boolean;
  selinux: boolean;
  /** userns-remap: root in a container is an unprivileged user on the host. */
  userns: boolean;
  rootless: boolean;
}

export function engineHardening(securityOptions: string[]): EngineHardening {
  const opts = securityOptions.map((o) => Object.fromEntries(o.split(',').map((kv) => kv.split('=') as [string, string])));
  const named = (n: string) => opts.find((o) => o.name === n);
  const seccomp = named('seccomp');
  return {
    seccomp: seccomp ? (seccomp.profile ?? 'default') : undefined,
    apparmor: !!named('apparmor'),
    selinux: !!named('selinux'),
    userns: !!named('userns'),
    rootless: !!named('rootless'),
  };
}
