/**
 * The ack-latency probe, run as its own process by `run.ts` so that nothing else in the benchmark
 * (the stand-in sidecar, the database polling) shares the event loop that timestamps responses.
 * Usage: tsx bench/ack-probe.ts <webhook url> <secret> <rate/s> <seconds> <customers> <run id>
 * Prints one JSON line: { p50, p99, errors, sent } (latencies in ms).
 */
import autocannon from 'autocannon';
import { eventBody, signedHeaders } from './events';

const [url, secret, rate, seconds, customers, runId] = process.argv.slice(2);
const offered = Number(rate);
let sequence = 0;
const result = await autocannon({
  url: url!,
  connections: Math.min(100, Math.max(10, Math.ceil(offered / 20))),
  overallRate: offered,
  duration: Number(seconds),
  requests: [
    {
      method: 'POST',
      setupRequest: (request) => {
        const body = eventBody(
          `${runId}ack${offered}`,
          sequence % Number(customers),
          sequence++,
          'ack latency probe',
        );
        return { ...request, body, headers: signedHeaders(secret!, body) };
      },
    },
  ],
});
console.log(
  JSON.stringify({
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    sent: result.requests.total,
  }),
);
