// Electron security lint (Doyensec's electronegativity) over electron/: fails on any HIGH-severity finding.
// The tool fetches translations and Electron's release list from the internet at every start; isolab's checks
// never leave the machine, so its HTTP client (got) is replaced by one that refuses at once: it then says it
// could not retrieve them, and runs every local check.
import Module, { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const originalLoad = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === 'got') return () => Promise.reject(new Error('offline by design'));
  return originalLoad.call(this, request, parent, isMain);
};
const log = console.log;
console.log = (...args) => (/translations/.test(String(args[0])) ? undefined : log(...args));
const lib = require('@doyensec/electronegativity');
const run = lib.default ?? lib;
console.log = log;

const electronVersion = require('electron/package.json').version;
const { issues } = await run({ input: 'electron', electronVersionOverride: electronVersion, isRelative: true, severitySet: 'informational', confidenceSet: 'tentative' });

const by = (sev) => issues.filter((i) => i.severity?.name === sev);
for (const i of issues) {
  console.log(`${i.severity?.name ?? '?'}\t${i.confidence?.name ?? '?'}\t${i.id}\t${i.file}:${i.location?.line ?? ''}\t${i.description ?? ''}`);
}
const high = by('HIGH');
console.log(`electronegativity ${require('@doyensec/electronegativity/package.json').version} (Electron ${electronVersion}): ${issues.length} finding(s), ${high.length} high`);
if (high.length) process.exit(1);
