import { Lab } from '../lab/lab';

/** A Lab for this command; sweeping what a crashed run left behind first, as every start does. */
export async function openLab(sweep = true): Promise<Lab> {
  const lab = new Lab('cli');
  if (!sweep) await lab.recoverRuns();
  else {
    const { sweptContainers } = await lab.init();
    if (sweptContainers.length) process.stderr.write(`isolab: removed ${sweptContainers.length} container(s) left by an earlier run that did not finish\n`);
  }
  return lab;
}
