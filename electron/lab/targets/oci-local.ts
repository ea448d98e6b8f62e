import { rm } from 'node:fs/promises';
import { note, type Note } from '../../../shared/notes';
import { ociGlobalArgs } from '../oci/runsc';
import { localShellExec, localTimingShell, probeShellTiming, toMicros, type ShellExec } from '../shell-timing';
import { OciShellTarget } from './oci-shell';
import { deleteLocalContainer, makeLocalBundle, runtimeVersion, type RuncBundleOptions } from './runc-bundle';

/**
 * `oci:RUNTIME`'s starts on this machine, timed by a local timing shell (bash with $EPOCHREALTIME, else /bin/sh
 * with date) running the very start script a remote host runs (electron/lab/oci/start-script.ts): one shell per
 * start, in its own process group, so Node's spawn of it is outside the figure, as an SSH exec is there. The
 * bundle dir is the local driver's (under the data dir, its owner file first, swept when its isolab is gone);
 * footprint and density stay on `RuncBundleDriver`. A workload ready by a log line or a TCP accept, or started k
 * at a time, keeps the driver's own spawn (models/oci says so with a note).
 */
export class LocalOciTarget extends OciShellTarget {
  private shell?: ShellExec;

  constructor(private readonly o: RuncBundleOptions & { shell?: string }) {
    super(o.runtime, o.runtime, o.runId, o.workload, '');
  }

  protected globalArgs(): string[] {
    return ociGlobalArgs(this.o.runtime, this.o.root, this.workload.network);
  }

  protected execStart(script: string, timeoutMs: number) {
    return this.shell!(script, { timeoutMs });
  }

  async prepare(signal: AbortSignal): Promise<void> {
    if (this.dir) return;
    this.checkWorkload();
    this.dir = await makeLocalBundle(this.o, signal, '-starts');
    this.shell = localShellExec(this.o.shell ?? (await localTimingShell()));
    this.timing = await probeShellTiming(this.shell, 'this machine');
    this.version = await runtimeVersion(this.o.runtime);
  }

  notes(): Note[] {
    const t = this.timing;
    if (!t) return [];
    return [note('oci-local-shell-clock', { model: this.model, clock: t.clock, overheadMs: toMicros(t.overheadMs), spawnMs: toMicros(t.execRoundTripMs) })];
  }

  async dispose(): Promise<void> {
    // A start whose shell was killed (its timeout) may have left its container: removed before the dir.
    await Promise.allSettled([...this.unsettled].map((id) => deleteLocalContainer(this.o.runtime, this.globalArgs(), id)));
    this.unsettled.clear();
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}
