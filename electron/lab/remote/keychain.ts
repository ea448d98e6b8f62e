import type { KeychainRefusal } from '../../../shared/api-hosts';

/**
 * What the OS keychain offers (Electron's safeStorage in the desktop app). The engine never imports Electron:
 * the main process hands one in. Without it, nothing is remembered; a passphrase is never written in plain text.
 */
export interface SecretBox {
  isEncryptionAvailable(): boolean;
  encryptString(text: string): Buffer;
  decryptString(data: Buffer): string;
  /** Linux only: the backend safeStorage chose (basic_text, gnome_libsecret, kwallet, kwallet5, kwallet6, unknown). */
  getSelectedStorageBackend?(): string;
}

export type KeychainVerdict = { ok: true } | { ok: false; reason: KeychainRefusal };

/**
 * Whether a passphrase may be remembered. On Linux, safeStorage falls back to its `basic_text` backend when no
 * keyring (GNOME libsecret, KWallet) answers: the "encryption" key is then a constant built into Chromium, so
 * the file could be read by anyone who can read it; isolab refuses that, and a backend it cannot name.
 */
export function keychainVerdict(o: { platform: NodeJS.Platform; encryptionAvailable: boolean; backend?: string }): KeychainVerdict {
  if (!o.encryptionAvailable) return { ok: false, reason: 'no-keychain' };
  if (o.platform !== 'linux') return { ok: true };
  if (o.backend === 'basic_text') return { ok: false, reason: 'basic-text' };
  if (!o.backend || o.backend === 'unknown') return { ok: false, reason: 'backend-unknown' };
  return { ok: true };
}

/** The verdict for a box as handed in (or none). */
export function boxVerdict(box: SecretBox | undefined, platform: NodeJS.Platform = process.platform): KeychainVerdict {
  if (!box) return { ok: false, reason: 'no-keychain' };
  const encryptionAvailable = box.isEncryptionAvailable();
  const backend = platform === 'linux' && encryptionAvailable ? box.getSelectedStorageBackend?.() : undefined;
  return keychainVerdict({ platform, encryptionAvailable, backend });
}

/** A passphrase that may not be remembered here; `reason` is what each face puts into words. */
export class KeychainRefusedError extends Error {
  constructor(readonly reason: KeychainRefusal) {
    super(
      reason === 'basic-text'
        ? 'the passphrase was not remembered: on this Linux system Electron safeStorage uses its basic_text backend (no GNOME keyring or KWallet answered), which is not encryption; load the key into ssh-agent instead'
        : reason === 'backend-unknown'
          ? 'the passphrase was not remembered: isolab cannot tell which keychain this system uses, so it cannot promise encryption; load the key into ssh-agent instead'
          : 'this system has no keychain isolab can use (Electron safeStorage), so the passphrase cannot be remembered; load the key into ssh-agent instead',
    );
    this.name = 'KeychainRefusedError';
  }
}
