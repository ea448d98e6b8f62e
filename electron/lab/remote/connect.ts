import { access, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ssh2, { type AnyAuthMethod, type Client, type ClientChannel, type ConnectConfig, type ServerHostKeyAlgorithm, type SFTPWrapper } from 'ssh2';
import { checkHostKey, KnownHostsError, fingerprint, hostKeyAlgorithms, hostKeyName, keyTypeOf, knownHostsPath, knownTypes, readAllKnownHosts, recordHostKey } from './knownHosts';
// ssh2 is CommonJS: Node's ESM loader cannot see its named exports, so take them off the default export.
const { utils } = ssh2;
import { DEFAULT_IDENTITIES, describeSpec, type HostSpec } from './spec';

/** ssh2's default host key algorithms, in its order; ssh-dss is offered only when known_hosts holds one. */
const DEFAULT_HOST_KEY: ServerHostKeyAlgorithm[] = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
const SUPPORTED_HOST_KEY = new Set<string>([...DEFAULT_HOST_KEY, 'ssh-dss']);

/** Pauses before asking again for an exec the server refused (see SshConnection.openExec). */
const EXEC_RETRY_PAUSES_MS = [100, 400, 1600];

/** How long a channel whose process lives on holds the turn on a server that sets up one channel at a time. */
const ONE_AT_A_TIME_HOLD_MS = 2_000;

/**
 * Dropbear 2022.82 to 2024.85 closes a channel still being set up (opened, its exec not yet run) when another
 * channel's process exits at that moment, and then aborts the whole connection if data reaches the channel
 * ("Failed assertion (common-channel.c:705): `!channel->sent_close'", mkj/dropbear#321, fixed in 2024.86).
 * Debian 12's dropbear, the QEMU guest's SSH server, has it; under load it hit one probe in a few comparisons.
 */
export function closesChannelsOnChildExit(software: string | undefined): boolean {
  const m = /^dropbear(?:_(\d{4})\.(\d+))?/i.exec(software ?? '');
  if (!m) return false;
  if (!m[1]) return true;
  const [year, release] = [Number(m[1]), Number(m[2])];
  return year > 2022 ? year < 2024 || (year === 2024 && release < 86) : year === 2022 && release >= 82;
}

/** ssh2's errors for an exec request the server answered with failure, and for a channel it would not open. */
function refusedBeforeRunning(err: Error): boolean {
  return err.message === 'Unable to exec' || err.message.startsWith('(SSH) Channel open failure');
}

/** An unknown host key: the user must check the fingerprint and accept it (or pass --accept-new). */
export class HostKeyUnknownError extends Error {
  constructor(readonly host: string, readonly keyType: string, readonly fingerprint: string, readonly key: Buffer) {
    super(`the host key of ${host} is not in known_hosts (${keyType} ${fingerprint}); check the fingerprint with the host's owner, then accept it (CLI: --accept-new)`);
    this.name = 'HostKeyUnknownError';
  }
}

/**
 * The key is not the one on file for this host: always refused, as OpenSSH does with accept-new, also when the
 * new key is of another type than the ones on file (`onFile`).
 */
export class HostKeyChangedError extends Error {
  constructor(
    readonly host: string,
    readonly keyType: string,
    readonly fingerprint: string,
    readonly file: string,
    readonly line: number,
    readonly onFile: string[] = [keyType],
    defaultFile?: string,
  ) {
    const other = onFile.includes(keyType) ? '' : ` The host now presents a ${keyType} key while only ${onFile.join(', ')} is on file for it; OpenSSH refuses that too.`;
    const remove = file && file !== defaultFile ? `ssh-keygen -f "${file}" -R "${host}"` : `ssh-keygen -R "${host}"`;
    super(
      `WARNING: the host key of ${host} has CHANGED (now ${keyType} ${fingerprint}); it does not match ${file}:${line} (on file: ${onFile.join(', ')}).${other} ` +
        `Someone could be intercepting the connection, or the host was reinstalled. isolab refuses to connect; if the change is expected, remove the old key with \`${remove}\` and connect again.`,
    );
    this.name = 'HostKeyChangedError';
  }
}

/** A key known_hosts marks @revoked, or a host only a @cert-authority vouches for (isolab cannot verify certificates). */
export class HostKeyRefusedError extends Error {
  constructor(
    readonly host: string,
    readonly reason: 'revoked' | 'cert-authority',
    message: string,
  ) {
    super(message);
    this.name = 'HostKeyRefusedError';
  }
}

export class NeedsPassphraseError extends Error {
  constructor(readonly identityFile: string) {
    super(`the key ${identityFile} is protected by a passphrase: enter it when asked, or load the key into ssh-agent (\`ssh-add ${identityFile}\`)`);
    this.name = 'NeedsPassphraseError';
  }
}

export class SshAuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SshAuthError';
  }
}

export class SshConnectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SshConnectError';
  }
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number | null;
  signal?: string;
  ms: number;
}

export interface ConnectHooks {
  home?: string;
  /** Replaces the host's UserKnownHostsFile list (tests); the global files are still read. */
  knownHostsFile?: string;
  /** Like StrictHostKeyChecking=accept-new: record an unknown key and go on. A changed key is still refused. */
  acceptNew?: boolean;
  /** Asked for an unknown key; true records it in known_hosts and goes on. */
  confirmHostKey?: (info: { host: string; keyType: string; fingerprint: string }) => Promise<boolean>;
  /** Asked when a key file is encrypted; undefined skips that key. Never stored here. */
  passphrase?: (identityFile: string) => Promise<string | undefined>;
  /** ssh-agent socket; SSH_AUTH_SOCK when left out. */
  agent?: string;
  readyTimeoutMs?: number;
  /** For tests with fakes: how a client is made. */
  clientFactory?: () => Client;
}

/** One authenticated SSH connection (through its jump hosts), reused for every exec and channel. */
export class SshConnection {
  constructor(
    readonly spec: HostSpec,
    readonly client: Client,
    /** From the first TCP connect to "ready" on the last hop: TCP, key exchange, host key check, auth. */
    readonly connectMs: number,
    private readonly hops: Client[],
  ) {
    // ssh2 keeps the server's software version ("dropbear_2022.83") in a field it does not document.
    this.oneChannelAtATime = closesChannelsOnChildExit((client as unknown as { _remoteVer?: string })._remoteVer);
  }

  /** The server is a dropbear with the race of closesChannelsOnChildExit: channels are set up one at a time. */
  readonly oneChannelAtATime: boolean;
  private turn: Promise<void> = Promise.resolve();

  /** Runs a constant command; the caller never splices user input into it. */
  exec(command: string, opts: { timeoutMs?: number } = {}): Promise<ExecResult> {
    const timeoutMs = opts.timeoutMs ?? 30_000;
    return this.openExec(command).then(
      ({ stream, t0 }) =>
        new Promise((resolve, reject) => {
          let stdout = '';
          let stderr = '';
          let code: number | null = null;
          let signal: string | undefined;
          const timer = setTimeout(() => {
            stream.close();
            reject(new SshConnectError(`${describeSpec(this.spec)}: \`${command.slice(0, 60)}\` gave no answer within ${timeoutMs} ms`));
          }, timeoutMs);
          stream.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
          stream.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
          stream.on('exit', (c: number | null, s?: string) => {
            code = c;
            signal = s ?? undefined;
          });
          stream.on('close', () => {
            clearTimeout(timer);
            resolve({ stdout, stderr, code, signal, ms: performance.now() - t0 });
          });
        }),
      (err: Error) => Promise.reject(new SshConnectError(`${describeSpec(this.spec)}: could not run a command: ${err.message}`)),
    );
  }

  /** Opens an exec channel and hands over the raw stream (docker system dial-stdio). */
  channel(command: string): Promise<ClientChannel> {
    return this.openExec(command).then(({ stream }) => stream);
  }

  /**
   * An exec channel running `command`. A server that refuses the exec or closes the channel before running it (a
   * dropbear whose race hit it, below), or will not open one (sshd's MaxSessions), ran nothing: it is asked again
   * after a pause, a few times; any other error (the connection is gone) fails at once. On a dropbear with that
   * race, channels are set up one at a time, each once the previous one's process is gone. `t0` is when the
   * channel that ran was asked for.
   */
  private async openExec(command: string): Promise<{ stream: ClientChannel; t0: number }> {
    if (!this.oneChannelAtATime) return this.askExec(command);
    // The previous channel holds the turn until its process is gone (or HOLD_MS, for one that lives on).
    const previous = this.turn;
    let release!: () => void;
    this.turn = new Promise<void>((r) => (release = r));
    await previous;
    try {
      const opened = await this.askExec(command);
      const timer = setTimeout(release, ONE_AT_A_TIME_HOLD_MS);
      opened.stream.once('close', () => {
        clearTimeout(timer);
        release();
      });
      return opened;
    } catch (err) {
      release();
      throw err;
    }
  }

  private async askExec(command: string): Promise<{ stream: ClientChannel; t0: number }> {
    for (let attempt = 0; ; attempt++) {
      const t0 = performance.now();
      try {
        const stream = await new Promise<ClientChannel>((resolve, reject) => this.client.exec(command, (err, s) => (err ? reject(err) : resolve(s))));
        return { stream, t0 };
      } catch (err) {
        const pause = EXEC_RETRY_PAUSES_MS[attempt];
        if (pause === undefined || !refusedBeforeRunning(err as Error)) throw err;
        await new Promise((r) => setTimeout(r, pause));
      }
    }
  }

  /** Opens an SFTP session on this connection (footprint reads /proc there); rejects when the server has no SFTP subsystem. */
  sftp(timeoutMs = 10_000): Promise<SFTPWrapper> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new SshConnectError(`${describeSpec(this.spec)}: no SFTP session within ${timeoutMs} ms`)), timeoutMs);
      this.client.sftp((err, sftp) => {
        clearTimeout(timer);
        if (err) reject(new SshConnectError(`${describeSpec(this.spec)}: no SFTP subsystem: ${err.message}`));
        else resolve(sftp);
      });
    });
  }

  close(): void {
    this.client.end();
    for (const h of [...this.hops].reverse()) h.end();
  }
}

/** Connects to the spec's host, through each ProxyJump hop, verifying every host key on the way. */
export async function connect(spec: HostSpec, hooks: ConnectHooks = {}): Promise<SshConnection> {
  const t0 = performance.now();
  const hops: Client[] = [];
  try {
    let sock: ClientChannel | undefined;
    for (const hop of [...spec.jumps, spec]) {
      if (hops.length) sock = await forwardOut(hops[hops.length - 1], hop);
      hops.push(await connectOne(hop, sock, hooks));
    }
  } catch (err) {
    for (const h of hops.reverse()) h.end();
    throw err;
  }
  const client = hops.pop()!;
  return new SshConnection(spec, client, performance.now() - t0, hops);
}

function forwardOut(via: Client, to: HostSpec): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    via.forwardOut('127.0.0.1', 0, to.host, to.port, (err, stream) => {
      if (err) reject(new SshConnectError(`the jump host could not open a connection to ${to.host}:${to.port}: ${err.message}`));
      else resolve(stream);
    });
  });
}

async function connectOne(spec: HostSpec, sock: ClientChannel | undefined, hooks: ConnectHooks): Promise<Client> {
  const home = hooks.home ?? os.homedir();
  const userFiles = hooks.knownHostsFile ? [hooks.knownHostsFile] : spec.hostKeys.userFiles;
  const entries = await readAllKnownHosts([...userFiles, ...spec.hostKeys.globalFiles]);
  const label = hostKeyName(spec);
  const names = [label];
  const auth = await authMethods(spec, hooks, home);
  const client = hooks.clientFactory ? hooks.clientFactory() : new ssh2.Client();
  let failure: Error | undefined;

  const hostVerifier = (key: Buffer, verify: (ok: boolean) => void) => {
    const check = checkHostKey(entries, names, key);
    const type = keyTypeOf(key);
    const fp = fingerprint(key);
    if (check.status === 'known') return verify(true);
    if (check.status === 'changed') {
      failure = new HostKeyChangedError(label, type, fp, check.entry.file, check.entry.line, check.onFile, knownHostsPath(home));
      return verify(false);
    }
    if (check.status === 'revoked') {
      failure = new HostKeyRefusedError(label, 'revoked', `the host key of ${label} (${type} ${fp}) is marked @revoked in ${check.entry.file}:${check.entry.line}; isolab refuses it, as OpenSSH does`);
      return verify(false);
    }
    if (check.status === 'cert-authority') {
      failure = new HostKeyRefusedError(
        label,
        'cert-authority',
        `${label} is vouched for by a @cert-authority line (${check.entry.file}:${check.entry.line}), and isolab cannot verify host certificates (@cert-authority is not supported). ` +
          'It refuses the host rather than ask you to trust a bare key: connect with OpenSSH, or add the host\'s own key to known_hosts after checking it with its owner.',
      );
      return verify(false);
    }
    const writeTo = userFiles[0];
    const decide = hooks.acceptNew ? Promise.resolve(true) : hooks.confirmHostKey ? hooks.confirmHostKey({ host: label, keyType: type, fingerprint: fp }) : Promise.resolve(false);
    decide
      .then(async (ok) => {
        if (!ok) {
          failure = new HostKeyUnknownError(label, type, fp, key);
          return verify(false);
        }
        if (!writeTo) {
          failure = new KnownHostsError(`${label} has UserKnownHostsFile none in ~/.ssh/config: there is no file to record its key in, so isolab cannot accept it. Add the key to a known_hosts file after checking it`);
          return verify(false);
        }
        await recordHostKey(writeTo, label, key);
        verify(true);
      })
      // Anything that fails here (a prompt, a known_hosts that cannot be written) fails this connection, never the process.
      .catch((err: Error) => {
        failure = err;
        verify(false);
      });
  };

  const preferred = hostKeyAlgorithms(knownTypes(entries, names)).filter((a): a is ServerHostKeyAlgorithm => SUPPORTED_HOST_KEY.has(a));
  const config: ConnectConfig = {
    host: spec.host,
    port: spec.port,
    username: spec.user,
    sock,
    readyTimeout: hooks.readyTimeoutMs ?? 20_000,
    hostVerifier,
    authHandler: (_left, _partial, next) => {
      auth.next().then(
        (m) => next(m ?? (false as unknown as AnyAuthMethod)),
        (err: Error) => {
          failure = err;
          next(false as unknown as AnyAuthMethod);
        },
      );
    },
    // Ask first for a key type known_hosts already holds, so a host with several keys is checked against the
    // one on file. A whole list, not { prepend }: ssh2 skips a prepended name that its defaults already hold.
    algorithms: preferred.length ? { serverHostKey: [...preferred, ...DEFAULT_HOST_KEY.filter((a) => !preferred.includes(a))] } : undefined,
  };

  return new Promise<Client>((resolve, reject) => {
    let settled = false;
    // ssh2 may emit more than one error (a timeout, then the lost connection): the first one decides, the
    // rest are expected and must not surface as unhandled; later errors show through exec and channels.
    client.on('error', (err: Error & { level?: string; code?: string }) => {
      if (settled) return;
      settled = true;
      client.end();
      if (failure) return reject(failure);
      if (err.level === 'client-authentication') return reject(auth.error(spec));
      reject(new SshConnectError(`cannot reach ${describeSpec(spec)}: ${connectReason(err)}`));
    });
    client.once('ready', () => {
      if (settled) return;
      settled = true;
      resolve(client);
    });
    client.connect(config);
  });
}

function connectReason(err: NodeJS.ErrnoException & { level?: string }): string {
  if (err.code === 'ECONNREFUSED') return 'connection refused (is sshd running, and is the port right?)';
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') return 'unknown host name (check HostName in ~/.ssh/config)';
  if (err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH') return 'no route to the host';
  if (/Timed out while waiting for handshake/.test(err.message)) return 'no SSH handshake within the time limit (a firewall, or not an SSH server)';
  return err.message;
}

/**
 * The order OpenSSH uses: the agent's keys, then each IdentityFile (or the default key files). A key file is
 * read only when its turn comes, so a passphrase is asked only when the agent did not already succeed.
 */
async function authMethods(spec: HostSpec, hooks: ConnectHooks, home: string) {
  const agent = hooks.agent ?? process.env.SSH_AUTH_SOCK;
  const files = spec.identityFiles.length ? spec.identityFiles : DEFAULT_IDENTITIES.map((f) => path.join(home, '.ssh', f));
  const existing: string[] = [];
  for (const f of files) {
    try {
      await access(f);
      existing.push(f);
    } catch {
      /* OpenSSH skips missing identity files silently too */
    }
  }
  const tried: string[] = [];
  let needsPassphrase: string | undefined;
  let agentUsed = false;
  let i = 0;
  return {
    async next(): Promise<AnyAuthMethod | undefined> {
      if (agent && !agentUsed) {
        agentUsed = true;
        tried.push('ssh-agent');
        return { type: 'agent', username: spec.user, agent };
      }
      while (i < existing.length) {
        const file = existing[i++];
        const data = await readFile(file);
        let parsed = utils.parseKey(data);
        if (parsed instanceof Error && /passphrase/i.test(parsed.message)) {
          const pass = await hooks.passphrase?.(file);
          if (pass === undefined) {
            needsPassphrase ??= file;
            continue;
          }
          parsed = utils.parseKey(data, pass);
          if (parsed instanceof Error) throw new SshAuthError(`wrong passphrase for ${file}`);
        }
        if (parsed instanceof Error) {
          tried.push(`${file} (unreadable: ${parsed.message})`);
          continue;
        }
        tried.push(file);
        return { type: 'publickey', username: spec.user, key: Array.isArray(parsed) ? parsed[0] : parsed };
      }
      return undefined;
    },
    error(s: HostSpec): Error {
      if (needsPassphrase) return new NeedsPassphraseError(needsPassphrase);
      return new SshAuthError(
        `${describeSpec(s)} refused every key isolab offered (${tried.join(', ') || 'none found'}): add your public key to the host's ~/.ssh/authorized_keys, ` +
          'set IdentityFile in ~/.ssh/config, pass --identity, or load the key into ssh-agent. isolab does not use passwords.',
      );
    },
  };
}
