// Runs the three vitest projects one after another — unit, integration, e2e — so the footprint measurements
// never share the machine with Chromium or a QEMU boot from another suite, then prints one closing line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const projects = process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'integration', 'e2e'];
const outDir = path.resolve('test-output');
mkdirSync(outDir, { recursive: true });
const vitest = path.resolve('node_modules/vitest/vitest.mjs');
let passed = 0;
let failed = 0;
let skipped = 0;
let crashed = [];
for (const project of projects) {
  const report = path.join(outDir, `vitest-${project}.json`);
  rmSync(report, { force: true });
  console.log(`\n== vitest: ${project}`);
  const res = spawnSync(process.execPath, [vitest, 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile=${report}`], { stdio: 'inherit' });
  if (!existsSync(report)) {
    crashed.push(project);
    continue;
  }
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  // A suite that failed to load counts as a failure even when no test inside it ran.
  // So does an unhandled error (vitest exits 1 with every test passed): say so, it is easy to miss in the log.
  if (res.status !== 0 && r.numFailedTests === 0) {
    console.log(`vitest ${project} exited ${res.status} with no failed test: look for "Unhandled Errors" above`);
    crashed.push(project);
  }
}
if (crashed.length) console.log(`suites that did not complete: ${crashed.join(', ')}`);
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || crashed.length > 0 || passed === 0 ? 1 : 0);
