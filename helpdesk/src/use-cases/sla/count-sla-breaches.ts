/**
 * Every response-time target breach recorded, by kind and channel: what the shared metric
 * `helpdesk_sla_breaches_total` reports at each scrape (infra/metrics.ts).
 */
import type { Deps } from '../../context';
import { readSlaBreachCounts, type SlaBreachCount } from '../../store/sla-tickets';

export type { SlaBreachCount } from '../../store/sla-tickets';

/**
 * @returns one count per kind (`first_response`, `resolution`) and channel key that had a breach
 *   (channel '' for a breach recorded without one).
 */
export async function countSlaBreaches(pool: Deps['pool']): Promise<SlaBreachCount[]> {
  return readSlaBreachCounts(pool);
}
