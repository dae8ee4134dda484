/**
 * Why a WhatsApp session could not start (or lost its browser), in words an operator can act on.
 *
 * The raw causes are what puppeteer, Chromium and WPPConnect report: a navigation error such as
 * `net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com` (puppeteer's `page.goto`, Chromium's
 * net error names: https://source.chromium.org/chromium/chromium/src/+/main:net/base/net_error_list.h),
 * a launch error (`Failed to launch the browser process!`, `Browser was not found at the configured
 * executablePath`), a closed target (`Protocol error … Target closed`), or WPPConnect's
 * `statusFind` value (`browserClose`). Pure functions: the session manager and the docs use them.
 */

/** The kinds of failure told apart; `other` when nothing matched. */
export type FailureKind =
  | 'dns'
  | 'offline'
  | 'connection'
  | 'proxy'
  | 'tls'
  | 'blocked'
  | 'timeout'
  | 'chromium_missing'
  | 'chromium_launch'
  | 'profile_in_use'
  | 'browser_closed'
  | 'not_logged_in'
  | 'logged_out'
  | 'other';

/** A failure explained: what happened and what to do about it. */
export interface Explained {
  kind: FailureKind;
  /** What happened, e.g. `cannot reach web.whatsapp.com: its name does not resolve`. */
  summary: string;
  /** What the operator should do, one sentence. */
  action: string;
}

interface Rule {
  kind: FailureKind;
  test: RegExp;
  summary: string;
  action: string;
}

const WHATSAPP = 'web.whatsapp.com';

/** First match wins: specific Chromium net errors before the generic "closed" and "timeout" ones. */
const RULES: readonly Rule[] = [
  {
    kind: 'logged_out',
    test: /^logged out: /,
    summary: 'WhatsApp unlinked this device (from the phone, or a logout)',
    action: 'scan the new QR code on the phone (WhatsApp > Settings > Linked devices > Link a device)',
  },
  {
    kind: 'dns',
    test: /ERR_NAME_NOT_RESOLVED|ERR_NAME_RESOLUTION_FAILED|ERR_DNS_|getaddrinfo ENOTFOUND|EAI_AGAIN/,
    summary: `cannot reach ${WHATSAPP}: its name does not resolve`,
    action:
      "check this machine's DNS and Internet access (e.g. `getent hosts web.whatsapp.com`), or set HTTPS_PROXY if it reaches the Internet through a proxy",
  },
  {
    kind: 'proxy',
    test: /ERR_PROXY_|ERR_TUNNEL_CONNECTION_FAILED|ERR_MANDATORY_PROXY_CONFIGURATION_FAILED|ERR_SOCKS_/,
    summary: `cannot reach ${WHATSAPP}: the proxy failed`,
    action:
      'check HTTPS_PROXY / NO_PROXY (address, port, credentials) and that the proxy allows web.whatsapp.com',
  },
  {
    kind: 'offline',
    test: /ERR_INTERNET_DISCONNECTED|ERR_ADDRESS_UNREACHABLE|ERR_NETWORK_CHANGED|ERR_NETWORK_ACCESS_DENIED|ENETUNREACH/,
    summary: `cannot reach ${WHATSAPP}: this machine has no route to the Internet`,
    action:
      "check this machine's network connection and firewall, or set HTTPS_PROXY if it reaches the Internet through a proxy",
  },
  {
    kind: 'connection',
    test: /ERR_CONNECTION_(REFUSED|RESET|CLOSED|TIMED_OUT|FAILED|ABORTED)|ERR_EMPTY_RESPONSE|ERR_TIMED_OUT|ECONNREFUSED|ECONNRESET/,
    summary: `cannot reach ${WHATSAPP}: the connection was refused, reset or timed out`,
    action:
      'check that the firewall (or proxy: HTTPS_PROXY) lets this machine open HTTPS (port 443) to web.whatsapp.com',
  },
  {
    kind: 'tls',
    test: /ERR_CERT_|ERR_SSL_|ERR_BAD_SSL/,
    summary: `cannot reach ${WHATSAPP}: the TLS certificate or handshake was refused`,
    action:
      "check this machine's clock and whether a TLS-inspecting proxy sits in the way (its certificate authority must be trusted, or web.whatsapp.com excluded)",
  },
  {
    kind: 'blocked',
    test: /ERR_BLOCKED_BY_|ERR_ACCESS_DENIED/,
    summary: `Chromium refused to open ${WHATSAPP} (blocked by a policy or the administrator)`,
    action: "check Chromium's policies on this machine (/etc/chromium/policies) and any URL filter",
  },
  {
    kind: 'chromium_missing',
    test: /Browser was not found at the configured executablePath|spawn .* ENOENT|no such file or directory.*chrom|Could not find (Chrome|Chromium|expected browser)/i,
    summary: 'Chromium is not installed where PUPPETEER_EXECUTABLE_PATH says',
    action:
      'install it (`apt-get install chromium`) or set PUPPETEER_EXECUTABLE_PATH to the Chromium binary (default /usr/bin/chromium)',
  },
  {
    kind: 'profile_in_use',
    test: /SingletonLock|profile appears to be in use|ProcessSingleton/i,
    summary: "the session's Chromium profile is in use by another Chromium",
    action:
      'check that no other sidecar uses the same TOKENS_DIR/<session> (one browser per WhatsApp number), then restart the session',
  },
  {
    kind: 'chromium_launch',
    test: /Failed to launch the browser process|error while loading shared libraries|Running as root without --no-sandbox/i,
    summary: 'Chromium could not start',
    action:
      'run PUPPETEER_EXECUTABLE_PATH --headless --version on this machine to see why (missing libraries, memory, /dev/shm too small: give the container shm_size 1gb)',
  },
  {
    kind: 'timeout',
    test: /Navigation timeout|TimeoutError|timed? ?out/i,
    summary: `${WHATSAPP} did not load in time`,
    action:
      "check this machine's Internet connection (slow, or filtered by a firewall or proxy: HTTPS_PROXY)",
  },
  {
    kind: 'not_logged_in',
    test: /Not Logged/,
    summary: 'WhatsApp Web did not log in',
    action: 'restart the session and scan the new QR code (WhatsApp > Linked devices)',
  },
  {
    kind: 'browser_closed',
    test: /browserClose|serverClose|Target closed|Session closed|Connection closed|browser has disconnected|Protocol error|Page crashed|page crashed/i,
    summary: 'Chromium closed unexpectedly',
    action:
      'check the memory available to the sidecar (each session needs about 400-500 MB) and /dev/shm (shm_size 1gb in Compose); the session is restarted by itself',
  },
];

/** Cuts a raw cause to its first line, without ANSI colours, at most `max` characters. */
export function firstLine(raw: string, max = 300): string {
  // eslint-disable-next-line no-control-regex
  const line = (raw.replace(/\u001b\[[0-9;]*m/g, '').split('\n')[0] ?? '').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * @param raw - the error message or WPPConnect status, e.g. `net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com`.
 * @returns what happened and what to do; kind `other` with a general action when nothing matched.
 */
export function explainFailure(raw: string): Explained {
  for (const rule of RULES) {
    if (rule.test.test(raw)) return { kind: rule.kind, summary: rule.summary, action: rule.action };
  }
  return {
    kind: 'other',
    summary: 'WhatsApp Web could not start',
    action: "see the sidecar's log lines for this session (LOG_LEVEL=debug shows WPPConnect's own)",
  };
}

/**
 * The cause to report when an attempt failed with `error` after the browser had reported `observed`
 * (a failed navigation, a crash, a WPPConnect error line). A specific error wins; a generic one
 * (`Target closed`, an unknown message) is reported after what was observed first.
 * @returns one line, at most 600 characters.
 */
export function combineCauses(error: string, observed: string | null): string {
  const main = firstLine(error);
  if (!observed || observed === main || main.includes(observed)) return main;
  const kind = explainFailure(main).kind;
  if (kind !== 'other' && kind !== 'browser_closed' && kind !== 'not_logged_in') return main;
  return firstLine(`${observed} (then: ${main})`, 600);
}

/**
 * `<summary> (<raw cause>). What to do: <action>.`: the `detail` of a session in trouble, e.g. `cannot reach
 * web.whatsapp.com: its name does not resolve (net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com). What
 * to do: check this machine's DNS and Internet access (…), or set HTTPS_PROXY if …`.
 */
export function describeFailure(raw: string): string {
  const { summary, action } = explainFailure(raw);
  return `${summary} (${firstLine(raw)}). What to do: ${action}.`;
}

/** A delay for people: `800 ms`, `4 s`, `2 min 30 s`. */
export function formatDelay(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
}
