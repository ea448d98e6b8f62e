// Is isolab's container timing honest? Its median total (create → remove through the engine API) should be no
// slower than `docker run --rm` of the same image, timed by hyperfine on the same machine, back to back.
// Usage: npm run bench:containers [-- --iterations 20]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const n = Number(process.argv[process.argv.indexOf('--iterations') + 1]) || 20;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'isolab-bench-'));
const env = { ...process.env, ISOLAB_DATA_DIR: tmp };
try {
  const run = JSON.parse(
    execFileSync(process.execPath, ['bin/isolab.mjs', 'bench', 'containers', '--iterations', String(n), '--warmup', '2', '--no-baseline', '--json'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }),
  );
  const image = run.plan.image ?? 'isolab/probe:2';
  const out = path.join(tmp, 'hyperfine.json');
  execFileSync('hyperfine', ['-N', '--warmup', '2', '--runs', String(n), '--export-json', out, `docker run --rm --network none ${image}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  const hf = JSON.parse(readFileSync(out, 'utf8')).results[0];
  const isolab = run.summary.total;
  const docker = { median: hf.median * 1000, mean: hf.mean * 1000, stddev: hf.stddev * 1000 };
  const f = (v) => `${v.toFixed(1)} ms`;
  console.log(`isolab ${run.model}: median ${f(isolab.median)} (95% CI ${f(isolab.ci95[0])}–${f(isolab.ci95[1])}), mean ${f(isolab.mean)} ± ${f(isolab.stddev)}`);
  console.log(`docker run --rm (hyperfine): median ${f(docker.median)}, mean ${f(docker.mean)} ± ${f(docker.stddev)}`);
  const ok = isolab.median <= docker.median;
  console.log(ok ? 'OK: isolab is no slower than docker run --rm' : 'SLOWER: isolab\'s median is above docker run --rm\'s');
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
