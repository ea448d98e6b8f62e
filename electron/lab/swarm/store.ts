import path from 'node:path';
import { SWARM_SCHEMA, SwarmDoc, toSwarmListItem, type SwarmListItem } from '../../../shared/swarm';
import { JsonStore } from '../json-store';

/** Swarm documents, one JSON file each under <data dir>/swarm, written atomically like runs. */
export class SwarmStore extends JsonStore<SwarmDoc, SwarmListItem> {
  constructor(root: string) {
    super({ dir: path.join(root, 'swarm'), noun: 'swarm run', schema: SwarmDoc, schemaName: SWARM_SCHEMA, toListItem: toSwarmListItem });
  }
}
