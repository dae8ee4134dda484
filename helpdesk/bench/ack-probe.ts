/**
 * The ack-latency probe, run as its own process by `run.ts` so that nothing else in the benchmark
 * (the stand-in sidecar, the database polling) shares the event loop that timestamps responses.
 * Usage: tsx bench/ack-probe.ts <webhook url> <secret> <rate/s> <seconds> <customers> <run id>
 * Prints one JSON line: { p50, p99, max, scheduledP99, errors, sent } (ms, to 0.1 ms). A first
 * second at the same rate warms up (connections, compiled code): it counts in `sent` and `errors`,
 * not in the latencies.
 *
 * Open loop at a constant rate: request i is due at start + i/rate whatever happened to earlier
 * ones, so a slow response cannot hold back the requests after it (no "coordinated omission").
 * `p50`/`p99`/`max` run from the moment the probe hands the request to its HTTP client (as
 * autocannon measures) to the end of the response, waiting for a free connection included.
 * `scheduledP99` runs from the due time instead: it adds the probe's own lateness, when the
 * machine's two cores leave its timer waiting, which a client on another host would not have.
 * autocannon's `overallRate` was
 * not usable for this: each connection sends its share of a second back to back and then pauses,
 * so "500/s" arrives as a burst at the start of every second, and against a server that answers
 * at once its p99 was 15–38 ms (10–25 connections) where this probe measures about 1 ms.
 */
import { Agent, request } from 'node:http';
import { eventBody, signedHeaders } from './events';
import { percentile } from './statistics';

const [url, secret, rate, seconds, customers, runId] = process.argv.slice(2);
const offered = Number(rate);
// The first second warms up (connections opened, code compiled) and is sent but not measured.
const warmup = offered;
const total = warmup + Math.round(offered * Number(seconds));
const target = new URL(url!);
if (target.protocol !== 'http:') throw new Error(`ack-probe speaks plain HTTP, not ${target.protocol}`);
// Enough keep-alive connections that a few slow responses never leave a due request waiting for
// one; a request beyond them waits in the agent's queue, and that wait is measured.
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** POSTs `body`, reads the answer to its end. @returns the HTTP status. */
function post(body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: { ...signedHeaders(secret!, body), 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        response.once('error', reject);
        response.once('end', () => resolve(response.statusCode ?? 0));
        response.resume();
      },
    );
    outgoing.once('error', reject);
    outgoing.end(body);
  });
}

const latencies: number[] = [];
const fromSchedule: number[] = [];
let errors = 0;
let sent = 0;

async function send(sequence: number, dueAt: number): Promise<void> {
  const handedAt = performance.now();
  const body = eventBody(
    `${runId}ack${offered}`,
    sequence % Number(customers),
    sequence,
    'ack latency probe',
  );
  try {
    const status = await post(body);
    if (status < 200 || status >= 300) errors += 1;
  } catch {
    errors += 1;
  }
  if (sequence >= warmup) {
    latencies.push(performance.now() - handedAt);
    fromSchedule.push(performance.now() - dueAt);
  }
}

const start = performance.now();
const inFlight: Promise<void>[] = [];
await new Promise<void>((resolve) => {
  const tick = () => {
    // Send every request that is due by now; timers fire about every millisecond.
    const due = Math.min(total, Math.floor(((performance.now() - start) * offered) / 1000) + 1);
    while (sent < due) {
      inFlight.push(send(sent, start + (sent * 1000) / offered));
      sent += 1;
    }
    if (sent < total) setTimeout(tick, 1);
    else resolve();
  };
  tick();
});
await Promise.all(inFlight);
agent.destroy();

console.log(
  JSON.stringify({
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: percentile(latencies, 100),
    scheduledP99: percentile(fromSchedule, 99),
    errors,
    sent,
  }),
);
