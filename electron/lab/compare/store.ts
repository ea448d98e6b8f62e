import { Comparison, COMPARISON_SCHEMA, toComparisonListItem, type ComparisonListItem } from '../../../shared/compare';
import { JsonStore } from '../json-store';

/** Comparison documents, one JSON file each under <data dir>/comparisons, written atomically like runs. */
export class ComparisonStore extends JsonStore<Comparison, ComparisonListItem> {
  constructor(dir: string) {
    super({ dir, noun: 'comparison', schema: Comparison, schemaName: COMPARISON_SCHEMA, toListItem: toComparisonListItem });
  }
}
