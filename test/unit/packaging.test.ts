import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The packaging config, read the way electron-builder reads it: its own schema validation, and its own mapping of
 * `electronFuses` onto @electron/fuses' wire (the packaging itself needs an Electron binary this machine lacks).
 */
const require = createRequire(import.meta.url);
const configFile = path.resolve(__dirname, '../../build/electron-builder.yml');
const config = yaml.load(readFileSync(configFile, 'utf8')) as Record<string, unknown>;

interface BuilderLib {
  PlatformPackager: { prototype: { generateFuseConfig(f: unknown): Promise<Record<number | string, unknown>> } };
}
interface BuilderConfig {
  validateConfiguration(c: unknown, log: { isEnabled: boolean; add(): void }): Promise<void>;
}
let lib: BuilderLib;
let configLib: BuilderConfig;
// app-builder-lib is large: loaded once (its index first, which settles its circular imports).
beforeAll(() => {
  lib = require('app-builder-lib') as BuilderLib;
  configLib = require('app-builder-lib/out/util/config/config') as BuilderConfig;
}, 120_000);

describe('build/electron-builder.yml', () => {
  it('passes electron-builder\'s own schema', async () => {
    await expect(configLib.validateConfiguration(config, { isEnabled: false, add() {} })).resolves.toBeUndefined();
  }, 60_000);

  it('flips the fuses: no run-as-node, NODE_OPTIONS or --inspect; cookie encryption, ASAR integrity, ASAR only', async () => {
    const { PlatformPackager } = lib;
    const { FuseV1Options, FuseVersion } = require('@electron/fuses') as typeof import('@electron/fuses');
    const wire = await PlatformPackager.prototype.generateFuseConfig.call({}, config.electronFuses);
    expect(wire.version).toBe(FuseVersion.V1);
    expect(wire[FuseV1Options.RunAsNode]).toBe(false);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(true);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
    // Only-from-ASAR needs the app packed as one.
    expect(config.asar).toBe(true);
  }, 60_000);
});
