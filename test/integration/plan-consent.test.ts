import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Lab } from '../../electron/lab/lab';
import { isolab } from '../helpers/cli';
import { tempDataDir } from '../helpers/datadir';

const data = tempDataDir();
afterAll(() => data.cleanup());

// A shared plan whose own command leaves a mark on the host when it runs.
const mark = path.join(data.dir, 'the-plan-ran');
const planFile = path.join(data.dir, 'shared-plan.yaml');
writeFileSync(
  planFile,
  ['workload:', '  kind: custom', `  command: [sh, -c, "echo ran > ${mark}; echo ready"]`, '  readiness: { kind: log, pattern: "^ready$" }', 'startup: { iterations: 1, warmup: 0 }', 'footprint: false', 'models: [process]', ''].join('\n'),
);
const runs = () => (existsSync(path.join(data.dir, 'runs')) ? readdirSync(path.join(data.dir, 'runs')) : []);

describe("a plan's own command on the host", () => {
  it('is refused by `bench process --plan` and `compare --plan` without --trust-plan, showing the command', async () => {
    for (const args of [['bench', 'process', '--plan', planFile], ['compare', '--plan', planFile]]) {
      const r = await isolab(...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain(`sh -c 'echo ran > ${mark}; echo ready'`);
      expect(r.stderr).toContain('--trust-plan');
      expect(existsSync(mark)).toBe(false);
    }
    expect(runs()).toEqual([]);
    // The engine refuses on its own, whatever face sends the request.
    const lab = new Lab('browser', data.dir);
    await expect(lab.startBench({ target: 'process', workload: { kind: 'custom', command: ['sh', '-c', `echo > ${mark}`], readiness: { kind: 'exit' } } })).rejects.toThrow(/plan-needs-trust/);
    await expect(lab.startCompare({ plan: { workload: { kind: 'custom', command: ['true'], readiness: { kind: 'exit' } } } as never })).rejects.toThrow(/plan-needs-trust/);
    expect(existsSync(mark)).toBe(false);
  });

  it('runs with --trust-plan, and a built-in workload needs no consent', async () => {
    const r = await isolab('bench', 'process', '--plan', planFile, '--trust-plan', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).status).toBe('complete');
    expect(existsSync(mark)).toBe(true);
    // Consent is not stored with the run: it belongs to the user who gave it, not to the plan.
    expect(JSON.parse(r.stdout).plan.trustPlan).toBeUndefined();

    const builtin = path.join(data.dir, 'builtin.yaml');
    writeFileSync(builtin, 'workload: { kind: ready-line }\nstartup: { iterations: 1, warmup: 0 }\n');
    const b = await isolab('bench', 'process', '--plan', builtin, '--json');
    expect(b.code, b.stderr).toBe(0);
  });
});
