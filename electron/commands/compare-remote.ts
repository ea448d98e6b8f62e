import type { Comparison, StartupClock } from '../../shared/compare';
import { printableLine } from '../../shared/printable';
import { ms } from '../../shared/units';

interface RemoteRecord {
  target?: string;
  resolved?: string;
  reached?: boolean;
  virtualization?: { azure?: { vmSize?: string; location?: string; error?: string } };
}

/**
 * What `isolab compare --host` prints above the tables: the host it measured (or that it was not reached) and,
 * per model, which clock timed its starts and what SSH adds to them. Nothing for a comparison on this machine.
 */
export function remoteLines(c: Comparison): string[] {
  const r = c.environment.remote as RemoteRecord | undefined;
  if (!r) return [];
  const where = `${r.target ?? '?'}${r.resolved && r.resolved !== r.target ? ` (${r.resolved})` : ''}`;
  if (!r.reached) return [`Host: ${printableLine(where)}, not reached.`];
  const h = c.environment.host;
  const azure = r.virtualization?.azure;
  const cloud = azure && !azure.error ? `; Azure ${azure.vmSize ?? '?'} in ${azure.location ?? '?'}` : '';
  const lines = [`Host: ${printableLine(where)}: ${h.os} ${h.kernel} ${h.arch}, ${h.cpus} CPU(s), ${(h.memoryBytes / 2 ** 30).toFixed(1)} GiB${h.virtualization ? `, ${h.virtualization}` : ''}${cloud}.`];
  for (const m of c.models) if (m.clock) lines.push(`Clock: ${m.model}: ${clockWords(m.clock, m.model)}`);
  return lines.map(printableLine);
}

function clockWords(k: StartupClock, model: string): string {
  if (k.clock === 'remote-shell') {
    const how = k.shell === 'date' ? '`date +%s%N`' : '$EPOCHREALTIME';
    // A raw runtime: the shell is root's, and runs the runtime on the bundle isolab made there.
    const shell = model.startsWith('oci:') ? `a root shell there running ${model.slice(4)} on a bundle made there, ${how}` : `a shell there, ${how}`;
    return `the remote host's clock (${shell}; its own cost ${ms(k.overheadMs ?? 0)} taken off); SSH adds nothing to the figure (an exec round trip is ${ms(k.roundTripMs ?? 0)}, outside it).`;
  }
  if (k.clock === 'local-shell') {
    return `this machine's clock inside a shell started per start (${k.shell === 'date' ? '`date +%s%N`' : '$EPOCHREALTIME'}; its own cost ${ms(k.overheadMs ?? 0)} taken off; isolab's spawn of the shell, ${ms(k.roundTripMs ?? 0)}, outside the figure).`;
  }
  if (k.clock === 'remote-engine') {
    const byClock = (c: 'remote-engine' | 'local-through-ssh') => Object.entries(k.phases ?? {}).filter(([, p]) => p.clock === c).map(([n]) => n);
    const engine = byClock('remote-engine');
    const local = byClock('local-through-ssh');
    const e = k.engineEvents;
    const fallback = e?.localFallback ? ` ${e.localFallback} of ${e.samples} starts kept this machine's clock (their events had not come within ${ms(e.waitBoundMs)}).` : '';
    return (
      `the remote engine's clock (its event stream's timeNano) for ${engine.join(', ') || 'no phase'}` +
      `${local.length ? `; this machine's clock through SSH for ${local.join(', ')} (no engine event ends ${local.length > 1 ? 'them' : 'it'})` : ''}: ` +
      `${k.roundTripsToReady ?? '?'} round trip${k.roundTripsToReady === 1 ? '' : 's'} to ready${k.phases?.ready?.clock === 'remote-engine' ? ' (the create call and the turnaround to the next call; no engine event marks a request\'s arrival)' : ''} × ${ms(k.roundTripMs ?? 0)} = ${ms(k.sshAllowanceMs)} added by SSH.${fallback}`
    );
  }
  const why = k.engineEvents ? " (the engine's events did not come for any start)" : '';
  return `this machine's clock${why}, the same engine calls as locally over the SSH channel: ${k.roundTripsToReady ?? '?'} round trips to ready × ${ms(k.roundTripMs ?? 0)} = ${ms(k.sshAllowanceMs)} added by SSH.`;
}
