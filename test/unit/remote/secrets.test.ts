import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PassphraseStore, type SecretBox } from '../../../electron/lab/remote/secrets';

const dir = mkdtempSync(path.join(os.tmpdir(), 'isolab-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Stands in for Electron's safeStorage: reversible, but never the plain text. */
const box: SecretBox = {
  isEncryptionAvailable: () => true,
  encryptString: (t) => Buffer.from([...Buffer.from(t)].map((b) => b ^ 0x5a)),
  decryptString: (b) => Buffer.from([...b].map((x) => x ^ 0x5a)).toString(),
};

describe('remembered passphrases', () => {
  it('are stored only through the keychain, never in plain text', async () => {
    const file = path.join(dir, 'p.json');
    const store = new PassphraseStore(file, box);
    await store.remember('vm1', '/k/id', 'hunter2-secret');
    expect(readFileSync(file, 'utf8')).not.toContain('hunter2-secret');
    expect(await store.recall('vm1', '/k/id')).toBe('hunter2-secret');
    expect(await store.has('vm1')).toBe(true);
    expect(await store.forget('vm1')).toBe(true);
    expect(await store.recall('vm1', '/k/id')).toBeUndefined();
  });

  it('without a keychain nothing is remembered, and the refusal says what to do instead', async () => {
    const store = new PassphraseStore(path.join(dir, 'none.json'));
    await expect(store.remember('vm1', '/k/id', 'x')).rejects.toThrow(/ssh-agent/);
    expect(await store.recall('vm1', '/k/id')).toBeUndefined();
  });
});
