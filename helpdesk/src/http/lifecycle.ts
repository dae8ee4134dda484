/**
 * What the parts of the HTTP server do when it stops: `beforeClose` runs first (end open event
 * streams so their connections can close), `afterClose` once no connection is left (stop probes,
 * close Redis readers). Registered by the routes that own the resources.
 */
export class ServerLifecycle {
  /** True once closing started: new requests are answered 503 and connections are not kept alive. */
  closing = false;
  private readonly before: Array<() => void | Promise<void>> = [];
  private readonly after: Array<() => void | Promise<void>> = [];

  /** Runs when the server starts closing, before connections are waited for. */
  beforeClose(hook: () => void | Promise<void>): void {
    this.before.push(hook);
  }

  /** Runs once the server has closed. */
  afterClose(hook: () => void | Promise<void>): void {
    this.after.push(hook);
  }

  /** Runs the `beforeClose` hooks (all, in order of registration). */
  async runBeforeClose(): Promise<void> {
    for (const hook of this.before) await hook();
  }

  /** Runs the `afterClose` hooks (all, in order of registration). */
  async runAfterClose(): Promise<void> {
    for (const hook of this.after) await hook();
  }
}
