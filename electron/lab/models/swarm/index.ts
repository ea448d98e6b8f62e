import { isSwarmNeedsConsent } from '../../../../shared/swarm';
import { decideSwarm, swarmInfo } from '../../swarm/state';
import { unavailable, type ModelRegistration } from '../types';

const BENCH_COMMAND = 'isolab bench swarm';
const CONSENT_COMMAND = `${BENCH_COMMAND} --create-swarm`;

/**
 * The orchestrated model: a Docker Swarm service on the local engine, timed by `isolab bench swarm` (service
 * create to N tasks running, scale-out, removal, beside N bare starts). isolab changes the engine's state only
 * with consent, so a comparison never runs it: it lists the model with what it needs.
 */
export const swarmModel: ModelRegistration = {
  id: 'swarm',
  family: 'swarm',
  capabilities: { startup: true, footprint: false, density: false, facts: false, race: false, needsConsent: true },
  async discover(ctx) {
    let conn;
    try {
      conn = await ctx.docker();
    } catch {
      return []; // no engine: the container row already says so
    }
    const decision = decideSwarm(await swarmInfo(conn.docker), false, conn.endpoint);
    if (decision.action === 'use') {
      return [{ model: 'swarm', unavailable: unavailable('own-command', { command: BENCH_COMMAND }, `measured by \`${BENCH_COMMAND}\` (it uses the engine's swarm as it is), not inside a comparison`) }];
    }
    if (decision.action === 'refuse' && isSwarmNeedsConsent(decision.error)) {
      return [{ model: 'swarm', unavailable: unavailable('swarm-needs-consent', { command: CONSENT_COMMAND }, `needs consent (${CONSENT_COMMAND}): the engine is in no swarm, and isolab creates one only when you agree`) }];
    }
    const state = decision.action === 'refuse' ? decision.error.message : 'unknown';
    return [{ model: 'swarm', unavailable: unavailable('swarm-unusable', { state }, state) }];
  },
};
