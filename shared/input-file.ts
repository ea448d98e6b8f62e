import yaml from 'js-yaml';

/*
 * Files users write (plans, sim scenarios): one YAML reader and one error type, so every face says what is wrong
 * with a file the same way: its name, then each problem.
 */

/** A file that cannot be used: names the file and every problem found in it, one per entry. */
export class InputFileError extends Error {
  constructor(
    readonly file: string,
    readonly issues: string[],
    /** What the file should have been ("plan"): the message then says "invalid plan". */
    what?: string,
  ) {
    super(`${file}: ${what ? `invalid ${what}: ` : ''}${issues.join('; ')}`);
    this.name = 'InputFileError';
  }
}

/**
 * The data in YAML or JSON text: YAML 1.2's core schema (no dates, no `<<` merges), and .json files through
 * JSON.parse for exact errors. Empty text is undefined. Throws an InputFileError that says where the text breaks.
 */
export function parseDataText(text: string, file: string, what?: string): unknown {
  const json = file.toLowerCase().endsWith('.json');
  try {
    return json ? JSON.parse(text) : yaml.load(text, { filename: file, schema: yaml.CORE_SCHEMA });
  } catch (err) {
    const e = err as Error & { mark?: { line: number; column: number }; reason?: string };
    const where = e.mark ? ` at line ${e.mark.line + 1}, column ${e.mark.column + 1}` : '';
    throw new InputFileError(file, [`not valid ${json ? 'JSON' : 'YAML'}${where}: ${e.reason ?? e.message.split('\n')[0]}`], what);
  }
}
