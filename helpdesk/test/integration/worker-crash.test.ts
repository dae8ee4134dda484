/**
 * Durability: a worker process killed (SIGKILL) in the middle of a job. After a new worker starts,
 * the message is processed exactly once: one message row, one ticket, one welcome and one menu.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { query } from '../support/database';
import { startTestHelpdesk, textEvent, waitFor, type TestHelpdesk } from '../support/harness';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

describe('worker killed mid-job', () => {
  let helpdesk: TestHelpdesk;
  before(async () => {
    helpdesk = await startTestHelpdesk({ inProcessWorkers: false });
  });
  after(() => helpdesk.stop());

  it('when the worker dies while fetching media, then a restarted worker processes the message once', async () => {
    helpdesk.sidecar.hangingMedia.add('doc-1');
    const event = textEvent('+201001234567', '');
    Object.assign(event.message, {
      type: 'document',
      text: null,
      media: {
        id: 'doc-1',
        mimeType: 'application/pdf',
        filename: 'prescription.pdf',
        size: PDF.length,
        sha256: null,
        url: `${helpdesk.sidecar.url}/api/media/doc-1`,
      },
    });
    assert.equal((await helpdesk.postWppconnect(event)).status, 202);

    const first = helpdesk.startWorkerProcess();
    await waitFor(
      () => helpdesk.sidecar.mediaRequests.includes('doc-1'),
      20_000,
      'the first worker to be mid-job',
    );
    first.kill('SIGKILL');
    await once(first, 'exit');
    assert.equal(helpdesk.sidecar.sends.length, 0, 'nothing was sent before the crash');

    helpdesk.sidecar.hangingMedia.delete('doc-1');
    helpdesk.sidecar.media.set('doc-1', { body: PDF, mimeType: 'application/pdf' });
    helpdesk.startWorkerProcess();
    await waitFor(() => helpdesk.sidecar.sends.length >= 2, 30_000, 'welcome and menu after the restart');
    await new Promise((resolve) => setTimeout(resolve, 1500)); // room for any duplicate to show up

    const rows = await query<{ messages: number; tickets: number; attachments: number }>(
      helpdesk.database.url,
      `SELECT (SELECT count(*)::int FROM messages WHERE direction = 'inbound') AS messages,
              (SELECT count(*)::int FROM tickets) AS tickets,
              (SELECT count(*)::int FROM attachments) AS attachments`,
    );
    assert.deepEqual(rows, [{ messages: 1, tickets: 1, attachments: 1 }]);
    assert.equal(helpdesk.sidecar.sends.length, 2, 'one welcome and one menu');
  });
});
