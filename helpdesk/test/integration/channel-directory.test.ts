/**
 * A worker's channel directory finds a channel another process added an instant after the worker
 * read the table (whatsapp/channel-directory.ts, `resolve`): the job waits for one fresh read
 * instead of failing, since its retry would come after the customer's later messages.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { registerSidecarSession } from '../../src/use-cases/channels/register-sidecar-session';
import { ChannelDirectory, type WppconnectChannel } from '../../src/whatsapp/channel-directory';
import { startTestHelpdesk, type TestHelpdesk } from '../support/harness';

describe('the channel directory of a worker', () => {
  let helpdesk: TestHelpdesk;
  before(async () => {
    helpdesk = await startTestHelpdesk({ inProcessWorkers: false });
  });
  after(() => helpdesk.stop());

  it('when the API adds a channel just after the worker read the channels, then the worker finds it at once', async () => {
    const { context } = helpdesk;
    // The worker process's own directory, read a moment before the channel exists.
    const worker = new ChannelDirectory(
      context.pool,
      context.secretBox,
      {
        bot: context.bot,
        businessHours: context.config.businessHours,
        businessTimeZone: context.config.businessTimeZone,
      },
      context.log,
    );
    await worker.reload();
    const sibling = context.channels.find('wppconnect', 'pharmacy') as WppconnectChannel;
    await registerSidecarSession(context, sibling, 'branch-7');

    const started = Date.now();
    const found = await worker.resolve('wppconnect', 'branch-7');
    assert.equal(found?.key, 'branch-7', 'the new channel found');
    assert.ok(Date.now() - started < 2000, 'after one read, at most a second after the last one');
    assert.equal(await worker.resolve('wppconnect', 'no-such-session'), undefined);
  });
});
