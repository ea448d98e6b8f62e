import AxeBuilder from '@axe-core/playwright';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { Lab } from '../../electron/lab/lab';
import type { Comparison } from '../../shared/compare';
import type { Served } from '../../electron/serve';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const RENDERER = path.join(ROOT, 'dist/renderer');
export const OUT = path.join(ROOT, 'test-output/e2e');
const CHROMIUM = '/usr/bin/chromium';
// The team's flags; `headless: true` adds --headless, and a persistent context is playwright's --user-data-dir.
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface BrowserMode {
  lab: Lab;
  served: Served;
  context: BrowserContext;
  /** Opens a page and collects its uncaught errors. */
  open(url: string): Promise<{ page: Page; errors: string[] }>;
  close(): Promise<void>;
}

function checkPrerequisites(): void {
  if (!existsSync(path.join(RENDERER, 'index.html'))) throw new Error(`${RENDERER} is missing: run \`npm run build\` before the e2e tests`);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: \`apt-get install chromium\``);
}

function launchChromium(profileDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1360, height: 900 },
    colorScheme: 'light',
    locale: 'en-GB',
  });
}

async function openPage(context: BrowserContext, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(url);
  return { page, errors };
}

/**
 * Browser mode in this process (a Lab on a fresh temp data dir, serve() on a free port) and a fresh Chromium
 * profile. ISOLAB_DATA_DIR is set before the Lab is imported, as the Lab reads it when it is built.
 */
export async function startBrowserMode(): Promise<BrowserMode> {
  checkPrerequisites();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'isolab-e2e-data-'));
  const profileDir = await mkdtemp(path.join(os.tmpdir(), 'isolab-e2e-chromium-'));
  await mkdir(OUT, { recursive: true });
  process.env.ISOLAB_DATA_DIR = dataDir;
  const { Lab } = await import('../../electron/lab/lab');
  const { serve } = await import('../../electron/serve');
  const lab = new Lab('browser');
  await lab.init();
  const served = await serve({ lab, rendererDir: RENDERER, port: 0 });
  const context = await launchChromium(profileDir);
  return {
    lab,
    served,
    context,
    open: (url) => openPage(context, url),
    async close() {
      await context.close().catch(() => {});
      await lab.shutdown();
      await served.close();
      await rm(dataDir, { recursive: true, force: true });
      await rm(profileDir, { recursive: true, force: true });
    },
  };
}

export interface ServeProcess {
  /** The address `isolab serve` printed, with its token. */
  url: string;
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Browser mode as users run it: the built CLI's `isolab serve` in its own process (and process group, ended as
 * a group: npm exec would not pass SIGTERM on) on a temp data dir that `seed` fills first, and a fresh Chromium
 * profile. No Docker engine (DOCKER_HOST points nowhere), so it neither needs nor touches dockerd: pages that
 * draw saved documents do not ask for one.
 */
export async function startServeProcess(seed: (dataDir: string) => Promise<void>): Promise<ServeProcess> {
  checkPrerequisites();
  if (!existsSync(path.join(ROOT, 'dist/cli.mjs'))) throw new Error('dist/cli.mjs is missing: run `npm run build` before the e2e tests');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'isolab-e2e-data-'));
  const home = await mkdtemp(path.join(os.tmpdir(), 'isolab-e2e-home-'));
  const profileDir = await mkdtemp(path.join(os.tmpdir(), 'isolab-e2e-chromium-'));
  await mkdir(OUT, { recursive: true });
  await seed(dataDir);
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/isolab.mjs'), 'serve', '--port', '0'], {
    detached: true,
    env: { ...process.env, ISOLAB_DATA_DIR: dataDir, HOME: home, DOCKER_HOST: 'unix:///nonexistent/isolab-e2e/docker.sock' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let exited: string | undefined;
  const gone = new Promise<void>((r) => child.once('exit', (code, signal) => ((exited = `code ${code}, signal ${signal}`), r())));
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const stop = async () => {
    if (child.pid && !exited) {
      process.kill(-child.pid, 'SIGTERM');
      const timer = setTimeout(() => !exited && child.pid && process.kill(-child.pid, 'SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    }
  };
  const cleanup = async () => {
    await stop();
    await rm(dataDir, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
    await rm(profileDir, { recursive: true, force: true });
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const look = () => {
        const found = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(stdout);
        if (found) return resolve(found[0]);
        if (exited) return reject(new Error(`isolab serve exited before listening (${exited}):\n${stderr}`));
        setTimeout(look, 50);
      };
      look();
    });
    const context = await launchChromium(profileDir);
    return {
      url,
      context,
      async close() {
        await context.close().catch(() => {});
        await cleanup();
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** WCAG 2 A/AA as axe checks them (contrast included) on what the page shows now. */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * Points ISOLAB_VM_KERNEL at the guest kernel the test setup fetched (test/fixtures/vm-kernel.sh), so a Lab on a
 * fresh data dir can boot the VM. Call it before startBrowserMode, which changes ISOLAB_DATA_DIR.
 */
export function useSetupVmKernel(): void {
  process.env.ISOLAB_VM_KERNEL ??= execFileSync('bash', [path.join(ROOT, 'test/fixtures/vm-kernel.sh')], { encoding: 'utf8' }).trim();
}

/** A real comparison of every model on this host, the VM included, as large as the caller can wait for. */
export function compareEveryModel(lab: Lab, name: string, size: { iterations: number; warmup: number; instances: number; settleMs: number; rounds: number; density: number }): Promise<Comparison> {
  return lab.compare({
    vm: true,
    plan: {
      name,
      startup: { iterations: size.iterations, warmup: size.warmup, concurrency: 1 },
      footprint: { instances: size.instances, settleMs: size.settleMs, rounds: size.rounds },
      density: { maxInstances: size.density, timeLimitS: 60, concurrency: 1 },
    },
  });
}
