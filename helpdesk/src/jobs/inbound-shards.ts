/**
 * How many shards the inbound queue has (inbound-queue.ts): in a module of its own, without
 * BullMQ, so that config.ts can validate the INBOUND_SHARDS setting against them.
 */

/** The inbound shards' queues that exist, and that every worker process runs. */
export const MAX_INBOUND_SHARDS = 16;

/**
 * The shards events are routed to unless INBOUND_SHARDS says otherwise: at most this many inbound
 * jobs run at once, across all workers. Measured with `npm run bench` on 2 cores: at 1,000
 * webhooks a second, 4 shards took about 0.1 ms less CPU per message than 16 and about halved the
 * webhook's p99 (BENCHMARKS.md, "2026-12-01, evening").
 */
export const DEFAULT_INBOUND_SHARDS = 4;
