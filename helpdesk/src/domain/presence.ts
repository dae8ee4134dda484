/**
 * Presence that tells the truth: an agent set `online` counts as present only while a console of
 * theirs is open (an event stream, `GET /api/stream`). Each API process marks the agents of its
 * open streams as seen every `presenceRefreshMs`; a periodic job finds online agents not seen for
 * longer than the grace period (AGENT_PRESENCE_GRACE_MS) and sets them `away`, so the assignment
 * stops giving them tickets. They are online again only when they choose it.
 *
 * An online agent never seen (set online by the CLI or an admin, or Redis lost what it knew) is
 * seen from the first time the job notices them: the grace period starts then. While no API
 * process runs, consoles cannot connect: nobody is judged, and when an API is up again the grace
 * period counts from then.
 */

/** How often an API process marks the agents of its open streams as seen, ms. */
export function presenceRefreshMs(graceMs: number): number {
  // Several refreshes per grace period, so one late refresh never makes a present agent absent.
  return clamp(Math.floor(graceMs / 4), 250, 10_000);
}

/** How often the job looks for absent agents, ms (an agent is away at most this late). */
export function presenceSweepMs(graceMs: number): number {
  return clamp(Math.floor(graceMs / 4), 250, 15_000);
}

/** What the job decides about the online agents. */
export interface PresenceDecision {
  /** Not seen for longer than the grace period: to set away. */
  absent: string[];
  /** Never seen: seen from now on (their grace period starts now). */
  unseen: string[];
}

/**
 * Sorts the online agents by when their console was last seen.
 * @param onlineAgentIds the agents set online.
 * @param lastSeenMs when each was last seen (epoch ms); missing: never seen.
 * @param apiUpSinceMs since when an API process has been up without a break (epoch ms), or null
 *   when none is (consoles cannot connect: nobody is absent).
 * @param nowMs the time of the decision (epoch ms).
 * @param graceMs how long an online agent may go without a console.
 */
export function decidePresence(
  onlineAgentIds: readonly string[],
  lastSeenMs: ReadonlyMap<string, number>,
  apiUpSinceMs: number | null,
  nowMs: number,
  graceMs: number,
): PresenceDecision {
  const decision: PresenceDecision = { absent: [], unseen: [] };
  for (const agentId of onlineAgentIds) {
    const seen = lastSeenMs.get(agentId);
    if (seen === undefined) decision.unseen.push(agentId);
    else if (apiUpSinceMs !== null && nowMs - Math.max(seen, apiUpSinceMs) > graceMs) {
      decision.absent.push(agentId);
    }
  }
  return decision;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
