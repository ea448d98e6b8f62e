import { cloudHypervisorModel, firecrackerModel, kataModel, lxcModel, podmanModel } from './absent';
import { containerModel } from './container';
import { hostModel } from './host';
import { ociCrun, ociRunc, ociRunsc } from './oci';
import { processModel } from './process';
import { swarmModel } from './swarm';
import type { ModelRegistration } from './types';
import { vmMicrovm, vmQemu } from './vm';

/**
 * Every isolation model isolab knows, one line each, in the order comparisons list them. Adding a model: write
 * its folder under electron/lab/models/ and add its line here (see ARCHITECTURE.md).
 */
export const MODELS: readonly ModelRegistration[] = [
  processModel,
  containerModel,
  ociRunc,
  ociCrun,
  ociRunsc,
  vmQemu,
  vmMicrovm,
  swarmModel,
  hostModel,
  kataModel,
  firecrackerModel,
  cloudHypervisorModel,
  podmanModel,
  lxcModel,
];
