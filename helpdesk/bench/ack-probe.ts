/**
 * The ack-latency probe, run as its own process by `run.ts` so that nothing else in the benchmark
 * (the stand-in sidecar, the database polling) shares the event loop that timestamps responses.
 * Usage: tsx bench/ack-probe.ts <webhook url> <secret> <rate/s> <seconds> <customers> <run id>
 * Prints `ready` when it starts sending, then one JSON line: { p50, p99, max, scheduledP99, errors,
 * sent, cpuMsPerRequest } (ms, to 0.1 ms; the probe's own CPU from `ready` on, per request). A first
 * second at the same rate warms up (connections, compiled code): it counts in `sent` and `errors`,
 * not in the latencies.
 *
 * Open loop at a constant rate: request i is due at start + i/rate whatever happened to earlier
 * ones, so a slow response cannot hold back the requests after it (no "coordinated omission").
 * `p50`/`p99`/`max` run from the moment the probe hands the request to its HTTP client (as
 * autocannon measures) to the end of the response, waiting for a free connection included. The
 * client is keep-alive-client.ts, every request made before the clock starts, and the probe loads
 * no helpdesk code: it shares the two cores with what it times (BENCHMARKS.md, "2026-12-01, day").
 * `scheduledP99` runs from the due time instead: it adds the probe's own lateness, when the
 * machine's two cores leave its timer waiting, which a client on another host would not have.
 * autocannon's `overallRate` was
 * not usable for this: each connection sends its share of a second back to back and then pauses,
 * so "500/s" arrives as a burst at the start of every second, and against a server that answers
 * at once its p99 was 15–38 ms (10–25 connections) where this probe measures about 1 ms.
 */
import { writeFileSync } from 'node:fs';
import { eventBody, signedHeaders } from './events';
import { KeepAliveClient } from './keep-alive-client';
import { percentile } from './statistics';

const [url, secret, rate, seconds, customers, runId] = process.argv.slice(2);
const offered = Number(rate);
// The first second warms up (connections opened, code compiled) and is sent but not measured.
const warmup = offered;
const total = warmup + Math.round(offered * Number(seconds));
const target = new URL(url!);
if (target.protocol !== 'http:') throw new Error(`ack-probe speaks plain HTTP, not ${target.protocol}`);
// Enough keep-alive connections that a few slow responses never leave a due request waiting for
// one; a request beyond them waits for the first to come free, and that wait is measured.
const client = new KeepAliveClient(target.hostname, Number(target.port), 64);

// Every request (body, signature, bytes on the wire) is made before the clock starts, and the times
// go into preallocated arrays: the probe stands for a client on another host, so it takes as little
// of the two cores (and of its own event loop) as it can while it times the helpdesk.
const prepared = Array.from({ length: total }, (_, sequence) => {
  const body = eventBody(
    `${runId}ack${offered}`,
    sequence % Number(customers),
    sequence,
    'ack latency probe',
  );
  return KeepAliveClient.post(target.pathname, target.host, signedHeaders(secret!, body), body);
});
const handedAt = new Float64Array(total);
const answeredAt = new Float64Array(total);
let errors = 0;
let sent = 0;

async function send(sequence: number): Promise<void> {
  handedAt[sequence] = performance.now();
  try {
    const status = await client.send(prepared[sequence]!);
    if (status < 200 || status >= 300) errors += 1;
  } catch {
    errors += 1;
  }
  answeredAt[sequence] = performance.now();
}

// run.ts reads the helpdesk's CPU from here to the end: the probe's own start is not counted.
console.log('ready');
const cpuAtStart = process.cpuUsage();
const start = performance.now();
const dueAt = (sequence: number) => start + (sequence * 1000) / offered;
const inFlight: Promise<void>[] = [];
await new Promise<void>((resolve) => {
  const tick = () => {
    // Send every request that is due by now, then sleep until the next one is (timers fire about
    // every millisecond at best).
    const due = Math.min(total, Math.floor(((performance.now() - start) * offered) / 1000) + 1);
    while (sent < due) {
      inFlight.push(send(sent));
      sent += 1;
    }
    if (sent < total) setTimeout(tick, Math.max(1, Math.floor(dueAt(sent) - performance.now())));
    else resolve();
  };
  tick();
});
await Promise.all(inFlight);
client.close();
const cpuUsed = process.cpuUsage(cpuAtStart);

const latencies: number[] = [];
const fromSchedule: number[] = [];
for (let sequence = warmup; sequence < total; sequence += 1) {
  latencies.push(answeredAt[sequence]! - handedAt[sequence]!);
  fromSchedule.push(answeredAt[sequence]! - dueAt(sequence));
}
// BENCH_ACK_TRACE=<path prefix>: each measured request's start (ms after the first was due) and
// latency (ms), one per line, in <prefix>-<rate>.txt; the first line holds the first due time as
// CLOCK_MONOTONIC nanoseconds (process.hrtime), to line the requests up with `perf record -k mono`.
if (process.env.BENCH_ACK_TRACE) {
  const monotonicStart = process.hrtime.bigint() - BigInt(Math.round((performance.now() - start) * 1e6));
  const lines = [String(monotonicStart)];
  for (let sequence = warmup; sequence < total; sequence += 1)
    lines.push(
      `${(handedAt[sequence]! - start).toFixed(2)} ${(answeredAt[sequence]! - handedAt[sequence]!).toFixed(2)}`,
    );
  writeFileSync(`${process.env.BENCH_ACK_TRACE}-${offered}.txt`, `${lines.join('\n')}\n`);
}

console.log(
  JSON.stringify({
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: percentile(latencies, 100),
    scheduledP99: percentile(fromSchedule, 99),
    errors,
    sent,
    cpuMsPerRequest: Math.round((cpuUsed.user + cpuUsed.system) / 10 / total) / 100,
  }),
);
