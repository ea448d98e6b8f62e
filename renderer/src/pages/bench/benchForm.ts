import { BenchRequest } from '../../../../shared/api';

/** The Bench form's fields as the inputs hold them (strings for numbers, so a field can be empty mid-edit). */
export interface BenchFormValues {
  /** 'swarm' is the Swarm panel's (renderer/src/swarm): it has its own request, startSwarm. */
  target: 'containers' | 'process' | 'vm' | 'swarm';
  image: string;
  /** VM only: guest memory in MiB, the accelerator, and consent to fetch Debian's cloud kernel. */
  memoryMiB: string;
  accel: 'auto' | 'tcg' | 'kvm' | 'hvf' | 'whpx';
  allowApt: boolean;
  runtime: string;
  iterations: string;
  warmup: string;
  baseline: boolean;
}

export const defaultBenchForm: BenchFormValues = {
  target: 'containers',
  image: '',
  runtime: '',
  iterations: '20',
  warmup: '2',
  baseline: true,
  memoryMiB: '256',
  accel: 'auto',
  allowApt: false,
};

/** The request the engine will get, or the field errors that stop it (checked with the engine's own schema). */
export function toBenchRequest(v: BenchFormValues): { request?: BenchRequest; errors: Partial<Record<keyof BenchFormValues, string>> } {
  if (v.target === 'swarm') return { errors: {} };
  const containers = v.target === 'containers';
  const vm = v.target === 'vm';
  const candidate: BenchRequest = {
    target: v.target as Exclude<BenchFormValues['target'], 'swarm'>,
    image: containers && v.image.trim() ? v.image.trim() : undefined,
    runtime: containers && v.runtime ? v.runtime : undefined,
    iterations: Number(v.iterations),
    warmup: Number(v.warmup),
    baseline: (containers || vm) && v.baseline,
    ...(vm ? { memoryMiB: Number(v.memoryMiB), accel: v.accel, allowApt: v.allowApt || undefined } : {}),
  };
  const parsed = BenchRequest.safeParse(candidate);
  if (parsed.success) return { request: candidate, errors: {} };
  const errors: Partial<Record<keyof BenchFormValues, string>> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as keyof BenchFormValues;
    errors[field] ??= issue.message;
  }
  return { errors };
}
