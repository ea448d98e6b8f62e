import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keychainVerdict, KeychainRefusedError } from '../../../electron/lab/remote/keychain';
import { PassphraseStore, type SecretBox } from '../../../electron/lab/remote/secrets';

const dir = mkdtempSync(path.join(os.tmpdir(), 'isolab-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Stands in for Electron's safeStorage: reversible, but never the plain text; `backend` as Linux reports it. */
const box = (backend?: string): SecretBox => ({
  isEncryptionAvailable: () => true,
  encryptString: (t) => Buffer.from([...Buffer.from(t)].map((b) => b ^ 0x5a)),
  decryptString: (b) => Buffer.from([...b].map((x) => x ^ 0x5a)).toString(),
  getSelectedStorageBackend: backend === undefined ? undefined : () => backend,
});

describe('which keychain may hold a passphrase', () => {
  it('refuses Linux\'s basic_text backend (not encryption) and a backend it cannot name; accepts a real keyring', () => {
    expect(keychainVerdict({ platform: 'linux', encryptionAvailable: true, backend: 'basic_text' })).toEqual({ ok: false, reason: 'basic-text' });
    expect(keychainVerdict({ platform: 'linux', encryptionAvailable: true, backend: 'unknown' })).toEqual({ ok: false, reason: 'backend-unknown' });
    expect(keychainVerdict({ platform: 'linux', encryptionAvailable: true })).toEqual({ ok: false, reason: 'backend-unknown' });
    for (const backend of ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']) expect(keychainVerdict({ platform: 'linux', encryptionAvailable: true, backend })).toEqual({ ok: true });
  });

  it('on macOS and Windows, safeStorage\'s availability decides (Keychain, DPAPI); no keychain is always refused', () => {
    expect(keychainVerdict({ platform: 'darwin', encryptionAvailable: true })).toEqual({ ok: true });
    expect(keychainVerdict({ platform: 'win32', encryptionAvailable: true })).toEqual({ ok: true });
    expect(keychainVerdict({ platform: 'linux', encryptionAvailable: false, backend: 'gnome_libsecret' })).toEqual({ ok: false, reason: 'no-keychain' });
  });
});

describe('remembered passphrases', () => {
  it('are stored only through a keychain that encrypts, never in plain text', async () => {
    const file = path.join(dir, 'p.json');
    const store = new PassphraseStore(file, box('gnome_libsecret'), 'linux');
    await store.remember('vm1', '/k/id', 'hunter2-secret');
    expect(readFileSync(file, 'utf8')).not.toContain('hunter2-secret');
    expect(await store.recall('vm1', '/k/id')).toBe('hunter2-secret');
    expect(await store.has('vm1')).toBe(true);
    expect(await store.forget('vm1')).toBe(true);
    expect(await store.recall('vm1', '/k/id')).toBeUndefined();
  });

  it('with safeStorage on basic_text (Linux without a keyring), nothing is remembered and the refusal says why', async () => {
    const file = path.join(dir, 'basic.json');
    const store = new PassphraseStore(file, box('basic_text'), 'linux');
    expect(store.available).toBe(false);
    expect(store.refusal).toBe('basic-text');
    const err = await store.remember('vm1', '/k/id', 'hunter2-secret').catch((e) => e);
    expect(err).toBeInstanceOf(KeychainRefusedError);
    expect(err.message).toMatch(/basic_text backend .* not encryption/);
    expect(existsSync(file)).toBe(false);
  });

  it('without a keychain nothing is remembered, and the refusal says what to do instead', async () => {
    const store = new PassphraseStore(path.join(dir, 'none.json'));
    expect(store.refusal).toBe('no-keychain');
    await expect(store.remember('vm1', '/k/id', 'x')).rejects.toThrow(/ssh-agent/);
    expect(await store.recall('vm1', '/k/id')).toBeUndefined();
  });
});
