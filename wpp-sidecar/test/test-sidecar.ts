/**
 * A real sidecar (HTTP server, BullMQ outbox on the real Redis) on the fake WPPConnect client, with
 * its own test environment (see helpers.ts `testEnv`).
 */
import { startSidecar, type RunningSidecar } from '../src/app';
import type { SessionState } from '../src/session/session-state';
import { FakeWhatsApp, type FakeWppClient, type FactoryBehaviour } from './fake-wppconnect-client';
import { testEnv, type TestEnv } from './helpers';

export interface TestSidecar {
  env: TestEnv;
  /** The default session's fake client. */
  fake: FakeWppClient;
  /** Every session's fake client (`phones.client(name)`), the default one included. */
  phones: FakeWhatsApp;
  /** The running sidecar (a new one after `restart`). */
  readonly sidecar: RunningSidecar;
  /**
   * Stops the sidecar and starts it again on the same environment, outbox and fake client.
   * @param whileStopped runs between the stop and the start.
   */
  restart(whileStopped?: () => void | Promise<void>): Promise<RunningSidecar>;
  /** Stops the sidecar and deletes its temporary files and Redis keys. */
  stop(): Promise<void>;
}

/**
 * @param options.env variables over the test defaults (e.g. HELPDESK_WEBHOOK_URL).
 * @param options.client how the fake client behaves (pairing, failing creates).
 * @param options.waitFor a session state to wait for before returning (none: return at once).
 * @param options.sessionEvents forward session state changes to the helpdesk (default false: most tests
 *   count the events the helpdesk gets, and those are about messages).
 * @param options.beforeStart runs before the first start (e.g. to create profile dirs under TOKENS_DIR).
 */
export async function startTestSidecar(
  options: {
    env?: Record<string, string>;
    client?: FactoryBehaviour;
    waitFor?: SessionState;
    sessionEvents?: boolean;
    beforeStart?: (env: TestEnv, phones: FakeWhatsApp) => void | Promise<void>;
  } = {},
): Promise<TestSidecar> {
  const env = await testEnv(options.env);
  const phones = new FakeWhatsApp(options.client);
  const fake = phones.client(env.config.sessionName);
  const clientFactory = phones.factory();
  await options.beforeStart?.(env, phones);
  const start = () =>
    startSidecar({
      config: env.config,
      clientFactory,
      printQrToTerminal: false,
      sessionEvents: options.sessionEvents ?? false,
    });
  let sidecar = await start();
  if (options.waitFor) await sidecar.waitForState(options.waitFor);
  return {
    env,
    fake,
    phones,
    get sidecar() {
      return sidecar;
    },
    async restart(whileStopped) {
      await sidecar.stop();
      await whileStopped?.();
      sidecar = await start();
      return sidecar;
    },
    async stop() {
      await sidecar.stop();
      await env.cleanup();
    },
  };
}
