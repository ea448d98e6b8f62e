import yaml from 'js-yaml';
import { Plan, planIssues } from './plan';

/*
 * Plan text to a Plan, for the CLI (a file) and the UI (a file the user opens): pure, so both read plans alike.
 */

/** A plan file that cannot be used: names the file and every wrong field, one per line. */
export class PlanError extends Error {
  constructor(
    readonly file: string,
    readonly issues: string[],
  ) {
    super(`${file}: invalid plan: ${issues.join('; ')}`);
    this.name = 'PlanError';
  }
}

/** Parses plan text (YAML is a superset of JSON, but .json files go through JSON.parse for exact errors). */
export function parsePlanText(text: string, file = '(plan)'): Plan {
  let data: unknown;
  try {
    data = file.toLowerCase().endsWith('.json') ? JSON.parse(text) : yaml.load(text, { filename: file, schema: yaml.CORE_SCHEMA });
  } catch (err) {
    const e = err as Error & { mark?: { line: number; column: number }; reason?: string };
    const where = e.mark ? ` at line ${e.mark.line + 1}, column ${e.mark.column + 1}` : '';
    throw new PlanError(file, [`not valid ${file.toLowerCase().endsWith('.json') ? 'JSON' : 'YAML'}${where}: ${e.reason ?? e.message}`]);
  }
  if (data === undefined || data === null) data = {};
  const parsed = Plan.safeParse(data);
  if (!parsed.success) {
    const issues = planIssues(parsed.error);
    // YAML reads a bare `true` as a boolean: say how to write the workload named "true".
    const kind = (data as { workload?: { kind?: unknown } })?.workload?.kind;
    if (typeof kind === 'boolean') issues.push(`workload.kind: write "${kind}" in quotes; a bare ${kind} is a YAML boolean`);
    throw new PlanError(file, issues);
  }
  return parsed.data;
}
