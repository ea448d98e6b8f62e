import { BenchRequest } from '../../../../shared/api';

/** The Bench form's fields as the inputs hold them (strings for numbers, so a field can be empty mid-edit). */
export interface BenchFormValues {
  target: 'containers' | 'process';
  image: string;
  runtime: string;
  iterations: string;
  warmup: string;
  baseline: boolean;
}

export const defaultBenchForm: BenchFormValues = { target: 'containers', image: '', runtime: '', iterations: '20', warmup: '2', baseline: true };

/** The request the engine will get, or the field errors that stop it (checked with the engine's own schema). */
export function toBenchRequest(v: BenchFormValues): { request?: BenchRequest; errors: Partial<Record<keyof BenchFormValues, string>> } {
  const containers = v.target === 'containers';
  const candidate = {
    target: v.target,
    image: containers && v.image.trim() ? v.image.trim() : undefined,
    runtime: containers && v.runtime ? v.runtime : undefined,
    iterations: Number(v.iterations),
    warmup: Number(v.warmup),
    baseline: containers && v.baseline,
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
