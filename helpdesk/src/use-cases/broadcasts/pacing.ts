/**
 * A broadcast's default pace and the WPPConnect warning (issue 17).
 * - Cloud API: Meta caps a number's throughput (CLOUD_API_MAX_MPS, default 80 messages a second);
 *   a broadcast takes half of it by default, so replies to customers still go out.
 * - WPPConnect: a linked WhatsApp Web number sending bulk is banned quickly: 10 a minute by default,
 *   each send followed by a random pause (jitter), at most 200 a day.
 */
export const WPPCONNECT_DEFAULT_RATE_PER_MINUTE = 10;
export const WPPCONNECT_DEFAULT_DAILY_CAP = 200;

/** The default sends per minute of a channel's provider. */
export function defaultRatePerMinute(provider: string, cloudMaxMps: number): number {
  return provider === 'cloud'
    ? Math.max(1, Math.floor((cloudMaxMps * 60) / 2))
    : WPPCONNECT_DEFAULT_RATE_PER_MINUTE;
}

/**
 * The random pause after a WPPConnect send, ms: up to half the interval of the pace (none on the
 * Cloud API). @param random a number in [0, 1).
 */
export function jitterMs(provider: string, ratePerMinute: number, random: number): number {
  return provider === 'cloud' ? 0 : Math.floor(random * (60_000 / ratePerMinute / 2));
}
