import { fixedCountsOf, type FixedCounts } from './adaptive/wiring';
import { InputFileError, parseDataText } from './input-file';
import { Plan, planIssues, type PlanInput } from './plan';

/*
 * Plan text to a Plan, for the CLI (a file) and the UI (a file the user opens): pure, so both read plans alike.
 */

/** Parses plan text (YAML is a superset of JSON, but .json files go through JSON.parse for exact errors). */
export function parsePlanText(text: string, file = '(plan)'): Plan {
  return parsePlanFile(text, file).plan;
}

/**
 * The plan and the counts it fixes itself, as written (before defaults): a plan that leaves its counts out is
 * adaptive, as it is in `isolab compare --plan`.
 */
export function parsePlanFile(text: string, file = '(plan)'): { plan: Plan; fixedCounts: FixedCounts } {
  let data = parseDataText(text, file, 'plan');
  if (data === undefined || data === null) data = {};
  const parsed = Plan.safeParse(data);
  if (!parsed.success) {
    const issues = planIssues(parsed.error);
    // YAML reads a bare `true` as a boolean: say how to write the workload named "true".
    const kind = (data as { workload?: { kind?: unknown } })?.workload?.kind;
    if (typeof kind === 'boolean') issues.push(`workload.kind: write "${kind}" in quotes; a bare ${kind} is a YAML boolean`);
    throw new InputFileError(file, issues, 'plan');
  }
  return { plan: parsed.data, fixedCounts: fixedCountsOf(data as PlanInput) };
}
