/**
 * Preloaded (`node --import`) into the helpdesk's worker processes that a test starts
 * (harness.ts `startWorkerProcess`): the process exits as soon as its IPC channel to the test's
 * process closes, that is when the test's process is gone. Why: `node --test` ends a test file
 * that runs out of time by killing its process, and a worker left running would keep writing to
 * the runner's stderr pipe, so the runner would wait for it forever (a CI run hung so).
 * A plain module, so that the bundled tests and their sources preload the same file.
 */
if (process.channel) {
  // The channel must not keep a worker alive that would otherwise exit.
  process.channel.unref();
  process.on('disconnect', () => process.exit(1));
}
