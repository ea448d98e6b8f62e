#!/usr/bin/env node
// The `isolab` command: the bundled CLI (built by `npm install` through the prepare script).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.mjs', import.meta.url);
if (!existsSync(cli)) {
  console.error('isolab: the CLI is not built yet. Run `npm run build` in the isolab folder.');
  process.exit(1);
}
await import(cli.href);
