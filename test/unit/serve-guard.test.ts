import { describe, expect, it } from 'vitest';
import { AUDIENCE_EVENTS, AUDIENCE_METHODS } from '../../shared/api-channels';
import { LabEvent, labMethodNames, type LabInfo } from '../../shared/api';
import { seededRandom } from '../../shared/random';
import { audienceInfo, audienceSees, isHostRun, isHostRunId } from '../../electron/audience';
import { newRunId } from '../../electron/lab/store';
import { bearer, fetchSiteAllowed, hostAllowed, originAllowed, requestTarget } from '../../electron/serve-guard';

const PORT = 7878;

/** Strings of every sort a header or request line may carry: ASCII, Latin-1, %-escapes, brackets, colons. */
function randomText(rand: () => number): string {
  const alphabet = ['%', '%2', '%zz', '%e0%80', '%c0%af', '[', ']', ':', '/', '//', '?', '#', '@', '\0', '\u00ff', '\ud800', '..', 'a', '9', ' ', '\\', '&token='];
  let s = rand() < 0.7 ? '/' : '';
  const n = Math.floor(rand() * 12);
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
  return s;
}

describe('request checks', () => {
  it('accept this server only by name and port, and never throw on any value', () => {
    expect(hostAllowed(`127.0.0.1:${PORT}`, PORT)).toBe(true);
    expect(hostAllowed(`LOCALHOST:${PORT}`, PORT)).toBe(true);
    for (const bad of [undefined, '', '[', 'x:99999999', `127.0.0.1:${PORT + 1}`, `127.0.0.1:${PORT}@evil`, 'evil.example', ['127.0.0.1:7878'], 42]) {
      expect(hostAllowed(bad, PORT)).toBe(false);
    }
    expect(originAllowed(undefined, PORT)).toBe(true);
    expect(originAllowed(`http://localhost:${PORT}`, PORT)).toBe(true);
    for (const bad of ['null', '', `https://127.0.0.1:${PORT}`, `http://127.0.0.1:${PORT}.evil.example`, `http://127.0.0.1:${PORT}, http://evil`, ['x']]) {
      expect(originAllowed(bad, PORT)).toBe(false);
    }
  });

  it('read the request target: origin-form only, decoded, bad escapes and NUL refused', () => {
    expect(requestTarget('/assets/a%20b.js?token=t%zz&x=1')).toMatchObject({ ok: true, path: '/assets/a b.js' });
    const t = requestTarget('/api?token=abc');
    expect(t.ok && t.query.get('token')).toBe('abc');
    expect(requestTarget('/%zz')).toEqual({ ok: false, reason: 'bad-encoding' });
    expect(requestTarget('/a%00')).toEqual({ ok: false, reason: 'nul-byte' });
    for (const notPath of ['*', 'http://evil/', '//[', '', undefined, '/' + 'a'.repeat(5000)]) {
      expect(requestTarget(notPath)).toMatchObject({ ok: false, reason: 'not-a-path' });
    }
  });

  it("take a GET's token from its Authorization header only, and its Sec-Fetch-Site from this site or the user", () => {
    expect(bearer('Bearer A_6XLG08N-cr6')).toBe('A_6XLG08N-cr6');
    for (const bad of [undefined, '', 'Bearer', 'Bearer ', 'bearer abc', 'Basic abc', 'Bearer a b', 'Bearer abc\r\nX: y', ['Bearer abc'], 42, `Bearer ${'a'.repeat(201)}`]) {
      expect(bearer(bad)).toBe('');
    }
    for (const ok of [undefined, 'same-origin', 'none']) expect(fetchSiteAllowed(ok)).toBe(true);
    for (const bad of ['cross-site', 'same-site', '', ['same-origin'], 1]) expect(fetchSiteAllowed(bad)).toBe(false);
  });

  it('never throw on 5,000 random inputs', () => {
    const rand = seededRandom(11);
    const threw: string[] = [];
    for (let i = 0; i < 5_000; i++) {
      const s = randomText(rand);
      try {
        hostAllowed(s, PORT);
        originAllowed(s, PORT);
        requestTarget(s);
        bearer(s);
        fetchSiteAllowed(s);
      } catch {
        threw.push(s);
      }
    }
    expect(threw).toEqual([]);
  });
});

describe('the audience policy', () => {
  it('lists only methods and events of the contract, and nothing that acts or names a host', () => {
    for (const m of AUDIENCE_METHODS) expect(labMethodNames).toContain(m);
    const types = LabEvent.options.map((o) => o.shape.type.value);
    for (const e of AUDIENCE_EVENTS) expect(types).toContain(e);
    expect(AUDIENCE_METHODS).not.toContain('listHosts');
    expect(AUDIENCE_METHODS).not.toContain('listHostRuns');
    expect(AUDIENCE_EVENTS).not.toContain('host-progress');
  });

  it('has decided for every event type of the contract: an event added later must be listed here or there', () => {
    const presenterOnly = ['host-progress'];
    const types = LabEvent.options.map((o) => o.shape.type.value);
    expect([...types].sort()).toEqual([...AUDIENCE_EVENTS, ...presenterOnly].sort());
  });

  it("recognises a host's runs by the id the engine gives them, and only those", () => {
    expect(isHostRunId(newRunId('host-alice@10.0.0.5'))).toBe(true);
    expect(isHostRunId(newRunId('host-web1-containers'))).toBe(true);
    for (const local of ['process', 'vm', 'container-runc', 'compare', 'runc-cmp']) expect(isHostRunId(newRunId(local))).toBe(false);
    expect(isHostRun({ id: 'x', kind: 'bench', model: 'host:web1' })).toBe(true);
    expect(isHostRun({ id: 'x', kind: 'bench:host', model: 'web1' })).toBe(true);
    expect(isHostRun({ id: newRunId('process'), kind: 'bench', model: 'process' })).toBe(false);
  });

  it("passes the workshop's events and local runs, not a host's progress or runs", () => {
    expect(audienceSees({ type: 'workshop-view', view: { demo: 'race' } })).toBe(true);
    expect(audienceSees({ type: 'race-mark', raceId: 'race-1', lane: 'vm', phase: 'ssh', atMs: 1 })).toBe(true);
    expect(audienceSees({ type: 'run-finished', runId: newRunId('process'), status: 'complete' })).toBe(true);
    expect(audienceSees({ type: 'host-progress', host: 'alice@10.0.0.5', step: 'connect' })).toBe(false);
    expect(audienceSees({ type: 'run-finished', runId: newRunId('host-alice@10.0.0.5'), status: 'failed' })).toBe(false);
    const progress = { type: 'progress', runId: 'r', jobId: 'r', kind: 'bench', model: 'process', role: 'subject', iteration: 1, total: 2, warmup: false, phase: 'spawn', iterationDone: false } as const;
    expect(audienceSees(progress)).toBe(true);
    expect(audienceSees({ ...progress, model: 'host:web1', kind: 'host-bench', phase: 'connect' })).toBe(false);
    // A host's job is the presenter's, whatever its run and model are named.
    expect(audienceSees({ ...progress, kind: 'host-bench' })).toBe(false);
  });

  it("passes a comparison's progress: the Compare page follows events", () => {
    expect(audienceSees({ type: 'compare-progress', comparisonId: newRunId('compare'), model: 'process', stage: 'startup' })).toBe(true);
    expect(audienceSees({ type: 'compare-finished', comparisonId: newRunId('compare'), status: 'complete' })).toBe(true);
  });

  it('gives info without the data directory, the host name, the machine id or the engine endpoint', () => {
    const info: LabInfo = {
      version: '1',
      dataDir: '/home/alice/.local/share/isolab',
      host: { os: 'linux', kernel: '6.1', arch: 'x64', cpus: 2, memoryBytes: 1, hostname: 'alice-laptop', machineId: 'a11ce'.padEnd(32, '0') },
      docker: { ok: true, engine: { name: 'Docker', version: '27', endpoint: 'unix:///home/alice/.docker/run/docker.sock' } },
      activeRuns: [newRunId('process'), newRunId('host-alice@10.0.0.5')],
      activeJobs: [
        { id: newRunId('process'), kind: 'bench', startedAt: '2026-01-01T00:00:00Z', model: 'process' },
        { id: newRunId('host-alice@10.0.0.5'), kind: 'host-bench', startedAt: '2026-01-01T00:00:00Z', model: 'host:alice@10.0.0.5' },
        { id: newRunId('host-probe'), kind: 'host-probe', startedAt: '2026-01-01T00:00:00Z' },
        { id: newRunId('fleet'), kind: 'fleet', startedAt: '2026-01-01T00:00:00Z' },
        { id: newRunId('compare'), kind: 'compare', startedAt: '2026-01-01T00:00:00Z' },
      ],
      face: 'browser',
    };
    const seen = audienceInfo(info);
    expect(JSON.stringify(seen)).not.toMatch(/alice/);
    expect(seen.host).not.toHaveProperty('machineId');
    expect(seen).toMatchObject({ version: '1', face: 'browser', docker: { ok: true, engine: { name: 'Docker', version: '27' } } });
    expect(seen.activeRuns).toEqual([info.activeRuns[0]]);
    expect(seen.activeJobs.map((j) => j.kind)).toEqual(['bench', 'compare']);
  });
});
