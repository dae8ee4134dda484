/**
 * The deployment's business hours (BUSINESS_HOURS, BUSINESS_TIMEZONE) count the response-time
 * targets of every channel without its own hours. Changed in the environment, they take effect at
 * the next start: the active tickets' due times must then be computed again, as a change of a
 * channel's hours in the console does (update-channel.ts), or they would keep the old hours' times
 * until the tickets close.
 */
import type { Deps } from '../../context';
import { readDeploymentSetting, writeDeploymentSetting } from '../../store/deployment-settings';
import { releaseBusinessHoursTickets } from '../../store/sla-tickets';
import { retimeActiveTickets } from './retime-active-tickets';

const SETTING = 'business_hours';

/**
 * Compares the configured hours with those recorded at the last start; when they differ, hands
 * the active tickets under business-hours policies back to the timing (every channel's: a channel
 * with its own hours may still take the deployment's time zone), asks for a check now and records
 * the new hours. Run by the API before it listens (main.ts).
 * @returns how many tickets were handed back (0 when the hours did not change).
 * @throws when PostgreSQL fails (the start fails, as for the configured channel).
 */
export async function applyDeploymentBusinessHours(
  deps: Pick<Deps, 'config' | 'pool' | 'queues' | 'log'>,
): Promise<number> {
  const configured = JSON.stringify({
    hours: deps.config.businessHours,
    timeZone: deps.config.businessTimeZone,
  });
  const recorded = await readDeploymentSetting(deps.pool, SETTING);
  if (recorded === configured) return 0;
  // None recorded: a first start, or one from before this check; re-timing is then harmless.
  const released = await releaseBusinessHoursTickets(deps.pool);
  await writeDeploymentSetting(deps.pool, SETTING, configured);
  if (released > 0) await retimeActiveTickets(deps);
  deps.log.info({ released }, 'business hours changed since the last start: response-time targets re-timed');
  return released;
}
