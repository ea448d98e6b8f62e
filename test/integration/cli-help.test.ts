import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** The built CLI's own help text: the flags it lists for one bench target. */
function helpFlags(target: string): string[] {
  expect(existsSync('dist/cli.mjs'), 'run `npm run build` before the integration tests').toBe(true);
  const out = execFileSync(process.execPath, [path.resolve('bin/isolab.mjs'), 'bench', target, '--help'], { encoding: 'utf8' });
  return [...out.matchAll(/^\s+(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]).filter((f) => f !== '--help');
}

describe('the built CLI: isolab bench <target> --help', () => {
  it('lists the engine\'s flags for containers only', () => {
    expect(helpFlags('containers')).toEqual(expect.arrayContaining(['--image', '--runtime', '--no-baseline', '--plan']));
    const process = helpFlags('process');
    const vm = helpFlags('vm');
    for (const f of ['--image', '--runtime', '--no-baseline']) expect(process, `process ${f}`).not.toContain(f);
    for (const f of ['--image', '--runtime', '--plan']) expect(vm, `vm ${f}`).not.toContain(f);
    expect(vm).toEqual(expect.arrayContaining(['--iterations', '--memory', '--accel', '--kernel', '--no-baseline']));
  });
});
