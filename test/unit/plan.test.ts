import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Plan, resolveWorkload } from '../../shared/plan';
import { loadPlanFile } from '../../electron/lab/workloads/load';
import { InputFileError } from '../../shared/input-file';
import { parsePlanFile, parsePlanText } from '../../shared/plan-text';

function issues(text: string, file = 'plan.yaml'): string[] {
  try {
    parsePlanText(text, file);
  } catch (err) {
    if (err instanceof InputFileError) return err.issues;
    throw err;
  }
  throw new Error('the plan was accepted');
}

describe('plan validation', () => {
  it('fills every default from an empty file', () => {
    const p = parsePlanText('', 'empty.yaml');
    expect(p.workload.kind).toBe('true');
    expect(p.startup).toEqual({ iterations: 20, warmup: 2, concurrency: 1 });
    expect(p.footprint).toEqual({ instances: 10, settleMs: 1500, rounds: 3 });
    expect(p.density).toBe(false);
  });

  it('names the nested field of a wrong type', () => {
    expect(issues('startup:\n  iterations: "twenty"\n')).toEqual([expect.stringMatching(/^startup\.iterations: .*number/)]);
  });

  it('says what footprint and density take when given neither false nor an object', () => {
    expect(issues('footprint: yes\n')).toEqual(['footprint: expected false, or an object such as { instances: 10, settleMs: 1500, rounds: 3 }']);
    expect(issues('density: 3\n')).toEqual(['density: expected false, or an object such as { maxInstances: 16, timeLimitS: 120 }']);
  });

  it('names an out-of-range number with its path', () => {
    expect(issues('startup:\n  iterations: 0\n')[0]).toMatch(/^startup\.iterations: /);
    expect(issues('density:\n  maxInstances: 5000\n')[0]).toMatch(/^density\.maxInstances: /);
  });

  it('catches an unquoted YAML boolean where a workload kind is expected', () => {
    const out = issues('workload:\n  kind: true\n');
    expect(out[0]).toMatch(/^workload\.kind: /);
    expect(out).toContain('workload.kind: write "true" in quotes; a bare true is a YAML boolean');
  });

  it('names an unknown key (a typo) instead of ignoring it', () => {
    const out = issues('workload:\n  kind: sleep\n  comand: [sleep, "1"]\n');
    expect(out[0]).toMatch(/^workload: .*comand/);
  });

  it('points at the readiness pattern when it is not a regular expression', () => {
    expect(issues('workload:\n  kind: custom\n  command: [sh]\n  readiness: {kind: log, pattern: "(unclosed"}\n')).toEqual(['workload.readiness.pattern: not a valid regular expression']);
  });

  it('requires command and readiness for a custom workload, each by name', () => {
    const out = issues('workload:\n  kind: custom\n');
    expect(out).toEqual(expect.arrayContaining([expect.stringMatching(/^workload\.command: /), expect.stringMatching(/^workload\.readiness: /)]));
  });

  it('refuses TCP readiness without host networking', () => {
    expect(issues('workload: {kind: custom, command: [httpd], readiness: {kind: tcp, port: 80}, network: none}\n')).toEqual([expect.stringMatching(/^workload\.network: .*host/)]);
  });

  it('indexes list items in the path', () => {
    expect(issues('models: [process, "vm"]\n')[0]).toMatch(/^models\[1\]: /);
  });

  it('reports a YAML syntax error with its line', () => {
    expect(issues('workload:\n  kind: sleep\n bad: [\n')[0]).toMatch(/not valid YAML at line \d+/);
  });

  it('reports a JSON syntax error for .json files', () => {
    expect(issues('{"workload": }', 'plan.json')[0]).toMatch(/^not valid JSON/);
  });

  it('says when the file does not exist', async () => {
    await expect(loadPlanFile('/nonexistent/plan.yaml')).rejects.toThrow(/no such file/);
  });

  it('resolves built-in workloads to a command and readiness', () => {
    expect(resolveWorkload(Plan.parse({ workload: { kind: 'server' } }).workload)).toMatchObject({ readiness: { kind: 'tcp', port: 'auto' }, network: 'host' });
    expect(resolveWorkload(Plan.parse({ workload: { kind: 'sleep' } }).workload)).toMatchObject({ command: ['sleep', '3600'], readiness: { kind: 'running' } });
  });

  it('accepts every example plan', async () => {
    const dir = path.join(__dirname, '../../examples/plans');
    const files = (await readdir(dir)).filter((f) => /\.(ya?ml|json)$/.test(f));
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) await expect(loadPlanFile(path.join(dir, f))).resolves.toBeTruthy();
  });
});

describe('a plan file opened in the UI', () => {
  it('keeps the counts it writes down and lets those it leaves out adapt, as isolab compare --plan does', () => {
    expect(parsePlanFile('name: defaults\nworkload: { kind: "true" }\n', 'a.yaml').fixedCounts).toEqual({ startup: false, footprint: false });
    expect(parsePlanFile('{"startup": {"warmup": 2}, "footprint": {"instances": 4}}', 'b.json').fixedCounts).toEqual({ startup: false, footprint: false });
    expect(parsePlanFile('startup: { iterations: 20 }\nfootprint: { rounds: 2 }\n', 'c.yaml').fixedCounts).toEqual({ startup: true, footprint: true });
    // Defaults fill the plan either way: what was written decides.
    expect(parsePlanFile('name: defaults\n', 'd.yaml').plan).toEqual(Plan.parse({ name: 'defaults' }));
  });
});

