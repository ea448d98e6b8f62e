import type { ModelRegistration } from '../types';

/**
 * A remote host over SSH (host:NAME): its boot, exec round trip and containers, measured by `isolab host bench`
 * and the Hosts page (electron/lab/remote/service.ts builds its targets). Another machine is not a model of
 * this host, so discovery lists none: a local comparison never reaches out.
 */
export const hostModel: ModelRegistration = {
  id: 'host:*',
  family: 'host',
  capabilities: { startup: true, footprint: true, density: false, facts: true, race: false },
  discover: async () => [],
};
