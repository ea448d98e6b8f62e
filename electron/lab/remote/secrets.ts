import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

/**
 * What the OS keychain offers (Electron's safeStorage in the desktop app). The engine never imports Electron:
 * the main process hands one in. Without it, nothing is remembered; a passphrase is never written in plain text.
 */
export interface SecretBox {
  isEncryptionAvailable(): boolean;
  encryptString(text: string): Buffer;
  decryptString(data: Buffer): string;
}

/** Remembered passphrases, encrypted by the SecretBox, keyed by host name and key file. */
export class PassphraseStore {
  constructor(private readonly file: string, private readonly box?: SecretBox) {}

  get available(): boolean {
    return !!this.box?.isEncryptionAvailable();
  }

  private async read(): Promise<Record<string, string>> {
    try {
      return JSON.parse(await readFile(this.file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }

  private async write(all: Record<string, string>): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.file, JSON.stringify(all, null, 2) + '\n', { mode: 0o600 });
  }

  async remember(host: string, keyFile: string, passphrase: string): Promise<void> {
    if (!this.available) throw new Error('this system has no keychain isolab can use (Electron safeStorage), so the passphrase cannot be remembered; load the key into ssh-agent instead');
    const all = await this.read();
    all[`${host}\t${keyFile}`] = this.box!.encryptString(passphrase).toString('base64');
    await this.write(all);
  }

  async recall(host: string, keyFile: string): Promise<string | undefined> {
    if (!this.available) return undefined;
    const v = (await this.read())[`${host}\t${keyFile}`];
    if (!v) return undefined;
    try {
      return this.box!.decryptString(Buffer.from(v, 'base64'));
    } catch {
      return undefined;
    }
  }

  async has(host: string): Promise<boolean> {
    return Object.keys(await this.read()).some((k) => k.startsWith(`${host}\t`));
  }

  async forget(host: string): Promise<boolean> {
    const all = await this.read();
    const keys = Object.keys(all).filter((k) => k.startsWith(`${host}\t`));
    for (const k of keys) delete all[k];
    if (keys.length) await this.write(all);
    return keys.length > 0;
  }
}
