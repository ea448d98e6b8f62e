import { describe, expect, it } from 'vitest';
import { buildCli } from '../../../electron/cli';

/** The long flags `isolab bench <target> --help` lists. */
function benchFlags(target: string): string[] {
  const bench = buildCli().commands.find((c) => c.name() === 'bench')!;
  const cmd = bench.commands.find((c) => c.name() === target)!;
  return cmd.options.map((o) => o.long ?? '').filter(Boolean);
}

describe('isolab bench <target> --help', () => {
  it('containers: the engine\'s flags (image, runtime), the baseline and a plan', () => {
    expect(benchFlags('containers')).toEqual(expect.arrayContaining(['--image', '--runtime', '--iterations', '--warmup', '--no-baseline', '--json', '--plan']));
  });
  it('process: no image, runtime or baseline (it is the floor itself)', () => {
    const flags = benchFlags('process');
    expect(flags).toEqual(expect.arrayContaining(['--iterations', '--warmup', '--json', '--plan']));
    for (const f of ['--image', '--runtime', '--no-baseline']) expect(flags).not.toContain(f);
  });
  it('vm: no image, runtime or plan (it times its own boot); its own guest flags', () => {
    const flags = benchFlags('vm');
    expect(flags).toEqual(expect.arrayContaining(['--iterations', '--warmup', '--no-baseline', '--json', '--memory', '--accel', '--kernel', '--allow-apt', '--density']));
    for (const f of ['--image', '--runtime', '--plan']) expect(flags).not.toContain(f);
  });
});
