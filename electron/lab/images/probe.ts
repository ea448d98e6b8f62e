import type Docker from 'dockerode';
import { readFile } from 'node:fs/promises';
import { pack } from 'tar-stream';
import { LABEL_IMAGE } from '../labels';
import { describe } from '../docker/engine';
import { BUSYBOX_HELP, findStaticBusybox } from './busybox';

/**
 * isolab's probe image: FROM scratch with a static busybox from the host, so it builds offline. Bump the
 * version when the image's content changes; the image is rebuilt only when the tag with this version is
 * missing.
 */
const PROBE_VERSION = '2';
export const PROBE_IMAGE = `isolab/probe:${PROBE_VERSION}`;
const PROBE_READY = 'isolab-ready';
/** The probe's program: print a line and exit. The process baseline runs the very same argv on the host. */
export const PROBE_ARGS = ['echo', PROBE_READY];
/** Applets linked in the image so plans can use plain names (sh, sleep, cat ...). */
const APPLETS = ['sh', 'echo', 'true', 'sleep', 'cat', 'ls', 'nc', 'httpd', 'uname', 'id', 'ps', 'free', 'dd', 'head', 'grep', 'wc'];

// Not isolab.managed: containers inherit their image's labels, and a container someone else starts from this
// image must never look like one of ours to the sweeper.
const PROBE_LABELS = { [LABEL_IMAGE]: 'true', 'isolab.probe': PROBE_VERSION };

class ProbeImageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProbeImageError';
  }
}

export interface EnsureResult {
  image: string;
  built: boolean;
  source?: string;
}

/** Makes sure the probe image exists on this engine, building it from the host's busybox when missing. */
export async function ensureProbeImage(docker: Docker, log: (line: string) => void = () => {}): Promise<EnsureResult> {
  try {
    const info = await docker.getImage(PROBE_IMAGE).inspect();
    if (info.Config?.Labels?.['isolab.probe'] === PROBE_VERSION) return { image: PROBE_IMAGE, built: false };
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 404) throw new ProbeImageError(`could not inspect ${PROBE_IMAGE}: ${describe(err)}`);
  }
  const found = await findStaticBusybox();
  if (found.path) {
    log(`building ${PROBE_IMAGE} from ${found.path}`);
    await build(docker, await scratchContext(await readFile(found.path)));
    return { image: PROBE_IMAGE, built: true, source: found.path };
  }
  // No static busybox here: a reachable registry is the only other way.
  try {
    log('no static busybox on this host; pulling busybox from the registry');
    await pull(docker, 'busybox:latest');
  } catch (err) {
    const tried = found.tried.map((t) => `${t.path}: ${t.why}`).join('; ');
    throw new ProbeImageError(
      `cannot build the probe image: no static busybox on this host (${tried}) and no registry reachable (${describe(err)}). ${BUSYBOX_HELP}`,
    );
  }
  await build(docker, await dockerfileContext('FROM busybox:latest\n' + labelsLine() + `CMD ["busybox", ${PROBE_ARGS.map((a) => JSON.stringify(a)).join(', ')}]\n`));
  return { image: PROBE_IMAGE, built: true, source: 'busybox:latest' };
}

function labelsLine(): string {
  return 'LABEL ' + Object.entries(PROBE_LABELS).map(([k, v]) => `${k}="${v}"`).join(' ') + '\n';
}

async function scratchContext(busybox: Buffer): Promise<Buffer> {
  const dockerfile =
    'FROM scratch\n' +
    'COPY rootfs/ /\n' +
    labelsLine() +
    'ENV PATH=/bin\n' +
    `CMD ["/bin/busybox", ${PROBE_ARGS.map((a) => JSON.stringify(a)).join(', ')}]\n`;
  const tar = pack();
  tar.entry({ name: 'Dockerfile' }, dockerfile);
  tar.entry({ name: 'rootfs/bin/busybox', mode: 0o755 }, busybox);
  for (const applet of APPLETS) tar.entry({ name: `rootfs/bin/${applet}`, type: 'symlink', linkname: 'busybox' });
  tar.entry({ name: 'rootfs/tmp', type: 'directory', mode: 0o1777 });
  tar.finalize();
  return collect(tar);
}

async function dockerfileContext(dockerfile: string): Promise<Buffer> {
  const tar = pack();
  tar.entry({ name: 'Dockerfile' }, dockerfile);
  tar.finalize();
  return collect(tar);
}

async function collect(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function build(docker: Docker, context: Buffer): Promise<void> {
  const stream = await docker.buildImage(context as unknown as NodeJS.ReadableStream, { t: PROBE_IMAGE, labels: PROBE_LABELS, rm: true, forcerm: true });
  await follow(docker, stream, `building ${PROBE_IMAGE}`);
}

async function pull(docker: Docker, ref: string): Promise<void> {
  const stream = await docker.pull(ref);
  await follow(docker, stream, `pulling ${ref}`);
}

/** Waits for a build or pull stream to end, failing on the first error message the engine sends in it. */
function follow(docker: Docker, stream: NodeJS.ReadableStream, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null, output: Array<{ error?: string; errorDetail?: { message?: string } }>) => {
        if (err) return reject(new ProbeImageError(`${what} failed: ${describe(err)}`));
        const failed = output.find((o) => o.error || o.errorDetail);
        if (failed) return reject(new ProbeImageError(`${what} failed: ${failed.errorDetail?.message ?? failed.error}`));
        resolve();
      },
    );
  });
}
