import { PlanNeedsTrustError, shellQuote } from '../../shared/consent';
import { formatZodError } from '../bridge';

/** An error as the CLI prints it: one line, or a few when the user has something to read before acting. */
export function cliErrorText(err: unknown): string {
  if (err instanceof PlanNeedsTrustError) {
    const lines = ['isolab: this plan runs its own command straight on this host, outside any container:'];
    for (const c of err.commands) lines.push(`  ${shellQuote(c.command)}    (under ${c.models.join(', ')})`);
    lines.push('Read it. If you trust the plan and its author, run the same command again with --trust-plan.');
    return lines.join('\n');
  }
  return `isolab: ${formatZodError(err)}`;
}
