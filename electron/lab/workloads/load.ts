import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Plan } from '../../../shared/plan';
import { InputFileError } from '../../../shared/input-file';
import { parsePlanText } from '../../../shared/plan-text';

export async function loadPlanFile(file: string): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputFileError(file, [code === 'ENOENT' ? 'no such file; give the path of a .yaml or .json plan (see examples/plans/)' : (err as Error).message], 'plan');
  }
  return parsePlanText(text, path.normalize(file));
}
