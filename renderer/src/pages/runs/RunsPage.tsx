import type { PageProps } from '..';
import { RunDetail } from './RunDetail';
import { RunsList } from './RunsList';

/** #/runs lists the runs; #/runs/<id> shows one. */
export function RunsPage({ params }: PageProps) {
  return params[0] ? <RunDetail id={params[0]} /> : <RunsList />;
}
