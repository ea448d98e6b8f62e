import { EventHeap } from './heap';
import { sampler, type DurationDist } from './distributions';
import { Arrivals, type RateCurve } from './profile';
import { seededRandom, type Seed } from '../random';
import { WaitStats, type WaitSummary } from './waits';

/**
 * The scale-out simulator: a request-level discrete-event simulation of one service behind a load balancer.
 *
 * - Requests arrive as a Poisson process whose rate follows a curve (see profile.ts).
 * - One FIFO queue feeds every ready instance; each instance serves up to `concurrency` requests at once
 *   (so a fixed pool of c single-slot instances with exponential service is the textbook M/M/c queue).
 * - A request that has waited `timeoutS` without starting is dropped.
 * - The autoscaler looks every `evaluationS` at the time-average number of requests in the system (in service
 *   plus queued) over the last interval, and wants ceil(that / (concurrency x targetUtilization)) instances,
 *   within [min, max]. Instances still starting count as capacity, so it does not order twice while they boot.
 *   After any scaling action it waits `cooldownS` before the next one. Scaling in cancels starting instances
 *   first, then stops idle ones, then drains busy ones (no new requests; they stop when their last ends).
 * - A new instance serves after a startup delay drawn from `startup`: measured runs or a reference.
 * - Cost: instance-hours from launch (booting is billed) to stop, times the price per instance-hour.
 * - Peak instances: the most serving at once; launches cancelled before they were ready are counted apart.
 *
 * Only four kinds of moment need the heap: request completions and instances becoming ready. The next arrival,
 * the queue head's deadline (FIFO with one timeout: the head always expires first), the next sample and the
 * next evaluation are single numbers, compared directly; this is what keeps the loop at millions of events/s.
 */

/** The independent streams of one simulation. Models compared on one seed draw the same arrivals and service
 * times from the first two (common random numbers), so their differences come from the model, not from luck. */
export const STREAM = { arrivals: 0, service: 1, startup: 2 } as const;

type InstancePolicy =
  | { kind: 'fixed'; instances: number }
  | {
      kind: 'autoscale';
      min: number;
      max: number;
      /** Ready at time 0; defaults to min. */
      initial?: number;
      targetUtilization: number;
      evaluationS: number;
      cooldownS: number;
    };

export interface BurstParams {
  durationS: number;
  seed: Seed;
  /** Width of one time-series bucket. */
  sampleS: number;
  /** Requests arriving before this time are left out of waiting-time statistics (the empty-start transient). */
  warmupS: number;
  curve: RateCurve;
  service: DurationDist;
  concurrency: number;
  /** Infinity: nobody gives up. */
  timeoutS: number;
  policy: InstancePolicy;
  startup: DurationDist;
  pricePerInstanceHour: number;
}

interface BurstSeries {
  /** Bucket end times, s. */
  t: number[];
  arrivals: number[];
  served: number[];
  dropped: number[];
  /** At each bucket's end. */
  queue: number[];
  starting: number[];
  ready: number[];
  inService: number[];
}

export interface BurstResult {
  arrivals: number;
  served: number;
  dropped: number;
  /** Still queued or in service at the end. */
  unfinished: number;
  /** Requests that arrived from warmupS on: how many, how many started service, how many were dropped. */
  measured: { arrivals: number; started: number; dropped: number; dropRate: number };
  wait: WaitSummary;
  /** Mean requests in service / mean ready slots over the whole run. */
  utilization: number;
  instanceHours: number;
  cost: number;
  /** The most instances serving (ready or draining) at once. */
  peakInstances: number;
  /** Instances launched, the initial ones included, and how many of them were cancelled while starting. */
  launches: number;
  cancelledLaunches: number;
  scaleActions: number;
  events: number;
  series: BurstSeries;
}

const STARTING = 0;
const READY = 1;
const DRAINING = 2;
const GONE = 3;

export function simulateBurst(p: BurstParams): BurstResult {
  const T = p.durationS;
  const conc = p.concurrency;
  const timeout = p.timeoutS;
  const arrivals = new Arrivals(p.curve, seededRandom(p.seed, STREAM.arrivals));
  const service = sampler(p.service, seededRandom(p.seed, STREAM.service));
  const startup = sampler(p.startup, seededRandom(p.seed, STREAM.startup));
  const heap = new EventHeap(1024);
  const waits = new WaitStats();

  // Instances: small arrays, grown as the autoscaler launches.
  let state = new Int8Array(64);
  let busy = new Int32Array(64);
  let launched = new Float64Array(64);
  let nInst = 0;
  let nStarting = 0;
  let nReady = 0; // ready or draining: running
  let nDraining = 0;
  let instanceSeconds = 0;
  let peak = 0;
  // Free slots: instance ids, one entry per free slot; entries of draining instances go stale and are skipped.
  let free = new Int32Array(256);
  let freeTop = 0;
  let freeSlots = 0;
  // The FIFO queue: a ring of (arrival time, service time), grown by doubling.
  let qArr = new Float64Array(1024);
  let qSvc = new Float64Array(1024);
  let qHead = 0;
  let qLen = 0;

  const nb = Math.max(1, Math.ceil(T / p.sampleS - 1e-9));
  const sT = new Float64Array(nb);
  const sArr = new Float64Array(nb);
  const sServed = new Float64Array(nb);
  const sDropped = new Float64Array(nb);
  const sQueue = new Float64Array(nb);
  const sStarting = new Float64Array(nb);
  const sReady = new Float64Array(nb);
  const sInService = new Float64Array(nb);
  let bucket = 0;

  let nArrivals = 0;
  let nServed = 0;
  let nDropped = 0;
  let mArrivals = 0;
  let mDropped = 0;
  let inService = 0;
  let events = 0;
  let scaleActions = 0;
  let cancelled = 0;
  let lastAction = -Infinity;
  let busyArea = 0;
  let slotArea = 0;
  let windowArea = 0;
  const warm = p.warmupS;

  const launch = (t: number, readyNow: boolean) => {
    if (nInst === state.length) {
      const grow = <A extends Int8Array | Int32Array | Float64Array>(a: A): A => {
        const b = new (a.constructor as new (n: number) => A)(a.length * 2);
        b.set(a);
        return b;
      };
      state = grow(state);
      busy = grow(busy);
      launched = grow(launched);
    }
    const id = nInst++;
    launched[id] = t;
    busy[id] = 0;
    state[id] = STARTING;
    nStarting++;
    if (readyNow) becomeReady(id, t);
    else heap.push(t + startup(), -(id + 1));
  };

  const pushFree = (id: number) => {
    if (freeTop === free.length) {
      const b = new Int32Array(free.length * 2);
      b.set(free);
      free = b;
    }
    free[freeTop++] = id;
    freeSlots++;
  };

  const start = (id: number, t: number, arrivedAt: number, svc: number) => {
    busy[id]++;
    inService++;
    heap.push(t + svc, id);
    if (arrivedAt >= warm) waits.add(t - arrivedAt);
  };

  const becomeReady = (id: number, t: number) => {
    state[id] = READY;
    nStarting--;
    nReady++;
    // Counted when ready: a launch cancelled while starting never served (its boot time is still billed).
    if (nReady > peak) peak = nReady;
    for (let k = 0; k < conc; k++) {
      if (qLen > 0) startFromQueue(id, t);
      else pushFree(id);
    }
  };

  /** The queue's head starts on instance id. */
  const startFromQueue = (id: number, t: number) => {
    const a = qArr[qHead];
    const s = qSvc[qHead];
    qHead = (qHead + 1) & (qArr.length - 1);
    qLen--;
    start(id, t, a, s);
  };

  const stop = (id: number, t: number) => {
    if (state[id] === STARTING) nStarting--;
    else {
      nReady--;
      if (state[id] === DRAINING) nDraining--;
    }
    state[id] = GONE;
    instanceSeconds += t - launched[id];
  };

  const enqueue = (t: number, s: number) => {
    if (qLen === qArr.length) {
      const n = qArr.length;
      const a = new Float64Array(n * 2);
      const b = new Float64Array(n * 2);
      for (let i = 0; i < n; i++) {
        a[i] = qArr[(qHead + i) & (n - 1)];
        b[i] = qSvc[(qHead + i) & (n - 1)];
      }
      qArr = a;
      qSvc = b;
      qHead = 0;
    }
    const tail = (qHead + qLen) & (qArr.length - 1);
    qArr[tail] = t;
    qSvc[tail] = s;
    qLen++;
  };

  const evaluate = (t: number, policy: Extract<InstancePolicy, { kind: 'autoscale' }>) => {
    const load = windowArea / policy.evaluationS;
    windowArea = 0;
    if (t - lastAction < policy.cooldownS) return;
    let desired = Math.ceil(load / (conc * policy.targetUtilization) - 1e-9);
    desired = Math.min(policy.max, Math.max(policy.min, desired));
    const current = nStarting + nReady - nDraining;
    if (desired === current) return;
    scaleActions++;
    lastAction = t;
    if (desired > current) {
      for (let k = current; k < desired; k++) launch(t, false);
      return;
    }
    let excess = current - desired;
    // Newest first: cancel starting instances, then stop idle ones, then drain busy ones.
    for (let id = nInst - 1; id >= 0 && excess > 0; id--) {
      if (state[id] === STARTING) {
        stop(id, t);
        cancelled++;
        excess--;
      }
    }
    for (let id = nInst - 1; id >= 0 && excess > 0; id--) {
      if (state[id] === READY && busy[id] === 0) {
        freeSlots -= conc;
        stop(id, t);
        excess--;
      }
    }
    for (let id = nInst - 1; id >= 0 && excess > 0; id--) {
      if (state[id] === READY) {
        freeSlots -= conc - busy[id];
        state[id] = DRAINING;
        nDraining++;
        excess--;
      }
    }
  };

  const policy = p.policy;
  const initial = policy.kind === 'fixed' ? policy.instances : (policy.initial ?? policy.min);
  for (let k = 0; k < initial; k++) launch(0, true);

  let t = 0;
  let nextArrival = arrivals.next(0);
  let nextTick = Math.min(p.sampleS, T);
  const evalEvery = policy.kind === 'autoscale' ? policy.evaluationS : Infinity;
  let nextEval = evalEvery;

  for (;;) {
    const tHeap = heap.size > 0 ? heap.peekTime() : Infinity;
    const tDrop = qLen > 0 ? qArr[qHead] + timeout : Infinity;
    // Which moment comes first; ties go to samples and evaluations so a bucket closes before the next opens.
    let tn = nextArrival;
    let kind = 0;
    if (tHeap < tn) [tn, kind] = [tHeap, 1];
    if (tDrop < tn) [tn, kind] = [tDrop, 2];
    if (nextEval <= tn) [tn, kind] = [nextEval, 3];
    if (nextTick <= tn) [tn, kind] = [nextTick, 4];
    if (tn > T) break;

    const dt = tn - t;
    busyArea += inService * dt;
    slotArea += (nReady - nDraining) * conc * dt;
    windowArea += (inService + qLen) * dt;
    t = tn;
    events++;

    if (kind === 0) {
      nArrivals++;
      sArr[bucket]++;
      if (t >= warm) mArrivals++;
      const svc = service();
      let placed = false;
      while (freeSlots > 0) {
        const id = free[--freeTop];
        if (state[id] !== READY) continue;
        freeSlots--;
        start(id, t, t, svc);
        placed = true;
        break;
      }
      if (!placed) enqueue(t, svc);
      nextArrival = arrivals.next(t);
    } else if (kind === 1) {
      const tag = heap.peekTag();
      heap.pop();
      if (tag < 0) {
        const id = -tag - 1;
        if (state[id] === STARTING) becomeReady(id, t);
        else events--; // cancelled while starting: not a real event
      } else {
        const id = tag;
        busy[id]--;
        inService--;
        nServed++;
        sServed[bucket]++;
        if (state[id] === DRAINING) {
          if (busy[id] === 0) stop(id, t);
        } else if (qLen > 0) startFromQueue(id, t);
        else pushFree(id);
      }
    } else if (kind === 2) {
      if (qArr[qHead] >= warm) mDropped++;
      qHead = (qHead + 1) & (qArr.length - 1);
      qLen--;
      nDropped++;
      sDropped[bucket]++;
    } else if (kind === 3) {
      evaluate(t, policy as Extract<InstancePolicy, { kind: 'autoscale' }>);
      nextEval += evalEvery;
    } else {
      sT[bucket] = t;
      sQueue[bucket] = qLen;
      sStarting[bucket] = nStarting;
      sReady[bucket] = nReady;
      sInService[bucket] = inService;
      bucket++;
      if (bucket >= nb) break;
      nextTick = Math.min((bucket + 1) * p.sampleS, T);
    }
  }

  for (let id = 0; id < nInst; id++) if (state[id] !== GONE) instanceSeconds += T - launched[id];
  const toArr = (a: Float64Array) => Array.from(a);
  const instanceHours = instanceSeconds / 3600;
  return {
    arrivals: nArrivals,
    served: nServed,
    dropped: nDropped,
    unfinished: qLen + inService,
    measured: { arrivals: mArrivals, started: waits.n, dropped: mDropped, dropRate: mArrivals ? mDropped / mArrivals : 0 },
    wait: waits.summary(),
    utilization: slotArea > 0 ? busyArea / slotArea : 0,
    instanceHours,
    cost: instanceHours * p.pricePerInstanceHour,
    peakInstances: peak,
    launches: nInst,
    cancelledLaunches: cancelled,
    scaleActions,
    events,
    series: {
      t: toArr(sT),
      arrivals: toArr(sArr),
      served: toArr(sServed),
      dropped: toArr(sDropped),
      queue: toArr(sQueue),
      starting: toArr(sStarting),
      ready: toArr(sReady),
      inService: toArr(sInService),
    },
  };
}
