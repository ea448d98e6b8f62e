import { z } from 'zod';
import type { KeychainRefusal } from '../../../shared/api-hosts';
import { boxVerdict, KeychainRefusedError, type KeychainVerdict, type SecretBox } from './keychain';
import { LockedJsonFile } from './lockedJson';

export type { SecretBox } from './keychain';

/**
 * Remembered passphrases, encrypted by the SecretBox, keyed by host name and key file. Only a keychain that
 * really encrypts is used (see keychainVerdict); the file is changed under a lock, so two faces at once keep
 * both their changes, and a file that does not parse is moved aside, never replaced.
 */
export class PassphraseStore {
  private readonly doc: LockedJsonFile<Record<string, string>>;
  private readonly verdict: KeychainVerdict;

  constructor(file: string, private readonly box?: SecretBox, platform: NodeJS.Platform = process.platform) {
    this.doc = new LockedJsonFile({ file, schema: z.record(z.string(), z.string()), empty: () => ({}), what: 'the remembered passphrases file', mode: 0o600 });
    this.verdict = boxVerdict(box, platform);
  }

  get available(): boolean {
    return this.verdict.ok;
  }

  /** Why nothing can be remembered here, or undefined when it can. */
  get refusal(): KeychainRefusal | undefined {
    return this.verdict.ok ? undefined : this.verdict.reason;
  }

  async remember(host: string, keyFile: string, passphrase: string): Promise<void> {
    if (!this.verdict.ok) throw new KeychainRefusedError(this.verdict.reason);
    const sealed = this.box!.encryptString(passphrase).toString('base64');
    await this.doc.update((all) => ({ ...all, [`${host}\t${keyFile}`]: sealed }));
  }

  async recall(host: string, keyFile: string): Promise<string | undefined> {
    if (!this.verdict.ok) return undefined;
    const v = (await this.doc.read())[`${host}\t${keyFile}`];
    if (!v) return undefined;
    try {
      return this.box!.decryptString(Buffer.from(v, 'base64'));
    } catch {
      return undefined;
    }
  }

  async has(host: string): Promise<boolean> {
    return Object.keys(await this.doc.read()).some((k) => k.startsWith(`${host}\t`));
  }

  async forget(host: string): Promise<boolean> {
    let found = false;
    await this.doc.update((all) => {
      const rest = Object.fromEntries(Object.entries(all).filter(([k]) => !k.startsWith(`${host}\t`)));
      found = Object.keys(rest).length < Object.keys(all).length;
      return found ? rest : undefined;
    });
    return found;
  }
}
