/**
 * Imported for its effect: a BullMQ 5 connection closed before Redis ever answered no longer ends
 * in an unhandled rejection.
 *
 * Why: BullMQ 5's `RedisConnection` re-emits the failure of its set-up (`init()`, waiting for
 * Redis to be ready) as an `error` event, from a promise chain made in its constructor, while
 * `close()` removes every listener. A connection closed while Redis refuses (the sidecar started,
 * or stopped, during a Redis outage) fails its set-up only when the socket closes, after `close()`
 * returned: `emit('error')` with no listener throws, and that chain's promise rejects with the
 * set-up's error ("connect ECONNREFUSED", "Connection is closed."), unhandled. Reported as
 * taskforcesh/bullmq#3546 and fixed in BullMQ 6 (which emits only when someone listens); BullMQ 6
 * is a major upgrade (repeatable jobs and the `paused` job state removed), and 6.7's
 * `Worker.close()` never ends when Redis never answered (taskforcesh/bullmq#4656, a test in
 * redis-outage.test.ts), so until then a closed connection keeps one listener that ignores the late
 * error: after `close()` nothing is left to tell of it. The Worker's blocking connection is built
 * inside BullMQ, so the fix is on the class, not on the instances we pass in.
 */
import { RedisConnection } from 'bullmq';

const close = RedisConnection.prototype.close;

RedisConnection.prototype.close = async function closeQuietly(
  this: RedisConnection,
  force?: boolean,
): Promise<void> {
  try {
    await close.call(this, force);
  } finally {
    this.on('error', ignoreLateError);
  }
};

/** A closed connection's set-up failure: the connection is gone, so there is no one to tell. */
function ignoreLateError(): void {}
