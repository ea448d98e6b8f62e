// Builds every face: the renderer with Vite, and main, preload and the CLI with esbuild.
// Main and the CLI are ES modules; the preload is CommonJS because sandboxed preloads cannot be ESM.
import { build as esbuild } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import { build as viteBuild } from 'vite';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
const define = { 'process.env.ISOLAB_VERSION': JSON.stringify(pkg.version) };
const only = process.argv[2]; // "node" skips the renderer, for quick rebuilds of the engine

if (only !== 'node') await rm('dist', { recursive: true, force: true });

const node = { bundle: true, platform: 'node', target: 'node20', packages: 'external', sourcemap: 'linked', define, logLevel: 'warning', jsx: 'automatic' };
await Promise.all([
  esbuild({ ...node, entryPoints: { cli: 'electron/cli-main.ts' }, format: 'esm', outdir: 'dist', outExtension: { '.js': '.mjs' } }),
  esbuild({ ...node, entryPoints: { main: 'electron/main.ts' }, format: 'esm', outdir: 'dist', outExtension: { '.js': '.mjs' }, external: ['electron'] }),
  esbuild({ ...node, entryPoints: { preload: 'electron/preload.ts' }, format: 'cjs', outdir: 'dist', outExtension: { '.js': '.cjs' }, external: ['electron'], packages: undefined }),
]);
if (only !== 'node') await viteBuild({ configFile: 'vite.config.ts', logLevel: 'warn' });
