/**
 * Auto-replies (issue 17) end to end, on real PostgreSQL, Redis and HTTP: an admin keeps keyword
 * rules through the API; a customer's message through the real WPPConnect webhook (the stand-in
 * sidecar speaks wpp-sidecar's wire format) gets the rule's reply as a bot message before a human
 * takes the ticket, and the ticket still goes to the queue and is assigned.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertValidationError, createAgent, type TestAgent } from '../api/api-support';
import { query } from '../support/database';
import { startTestHelpdesk, textEvent, waitFor, type TestHelpdesk } from '../support/harness';

const HOURS = { ar: 'مواعيدنا من ٩ صباحا إلى ١١ مساء', en: 'We are open 9 am to 11 pm' };
const ADDRESS = { ar: 'العنوان: ١٢ شارع التحرير', en: 'Address: 12 Tahrir Street' };

interface BotMessage {
  text: string;
  raw: { kind: string; ruleId?: string };
}

async function botMessagesOf(helpdesk: TestHelpdesk, phone: string): Promise<BotMessage[]> {
  return query<BotMessage>(
    helpdesk.database.url,
    `SELECT m.text, m.raw FROM messages m JOIN tickets t ON t.id = m.ticket_id
       JOIN customers c ON c.id = t.customer_id
      WHERE c.phone = $1 AND m.author = 'bot' ORDER BY m.created_at`,
    [phone],
  );
}

async function ticketOf(helpdesk: TestHelpdesk, phone: string) {
  const [ticket] = await query<{ id: string; status: string; assignee_id: string | null }>(
    helpdesk.database.url,
    `SELECT t.id, t.status, t.assignee_id FROM tickets t JOIN customers c ON c.id = t.customer_id
      WHERE c.phone = $1 ORDER BY t.number DESC LIMIT 1`,
    [phone],
  );
  return ticket;
}

describe('auto-replies', () => {
  let helpdesk: TestHelpdesk;
  let admin: TestAgent;
  let agentId: string;

  before(async () => {
    helpdesk = await startTestHelpdesk();
    admin = await createAgent(helpdesk, { name: 'Lead', role: 'admin', availability: 'offline' });
    agentId = (await createAgent(helpdesk, { name: 'Mona', availability: 'online', capacity: 50 })).id;
  });
  after(() => helpdesk.stop());

  /** A customer writes; resolves once the message and the bot's replies are stored. */
  async function customerWrites(phone: string, text: string): Promise<BotMessage[]> {
    const before = (await botMessagesOf(helpdesk, phone)).length;
    const posted = await helpdesk.postWppconnect(textEvent(phone, text));
    assert.equal(posted.status, 202);
    await waitFor(
      async () =>
        (
          await query<{ n: number }>(
            helpdesk.database.url,
            `SELECT count(*)::int AS n FROM messages m JOIN tickets t ON t.id = m.ticket_id
               JOIN customers c ON c.id = t.customer_id WHERE c.phone = $1 AND m.text = $2`,
            [phone, text],
          )
        )[0]!.n > 0,
      10_000,
      'the message stored',
    );
    return (await botMessagesOf(helpdesk, phone)).slice(before);
  }

  it('when the body is wrong, then 400 names the field and nothing is written', async () => {
    const good = { keywords: ['مواعيد'], reply: HOURS };
    assertValidationError(await admin.api.post('/api/auto-replies', { ...good, keywords: [] }), 'keywords');
    assertValidationError(
      await admin.api.post('/api/auto-replies', { ...good, keywords: ['؟'] }),
      'keywords',
    );
    assertValidationError(
      await admin.api.post('/api/auto-replies', { ...good, reply: { ar: 'x' } }),
      'reply.en',
    );
    assertValidationError(
      await admin.api.post('/api/auto-replies', { ...good, channelKey: 'nowhere' }),
      'channelKey',
    );
    assertValidationError(await admin.api.post('/api/auto-replies', { ...good, position: -1 }), 'position');
    const agent = await createAgent(helpdesk, { name: 'Sara', availability: 'offline' });
    assert.equal((await agent.api.post('/api/auto-replies', good)).status, 403);
    assert.deepEqual((await admin.api.get<{ items: unknown[] }>('/api/auto-replies')).body.items, []);
  });

  it('when a customer asks "ايه المواعيد؟", then an API-created rule answers as a bot message and the ticket is still queued and assigned', async () => {
    // Created over the API while everything runs: no restart.
    const created = await admin.api.post<{ id: string; position: number }>('/api/auto-replies', {
      keywords: ['مواعيد', 'opening hours'],
      reply: HOURS,
      position: '١',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.position, 1);
    const address = await admin.api.post('/api/auto-replies', { keywords: ['عنوان'], reply: ADDRESS });
    assert.equal(address.body.position, 2, 'after the last rule');

    const phone = '+201002220001';
    const replies = await customerWrites(phone, 'ايه المواعيد؟');
    assert.deepEqual(
      replies.map((reply) => reply.raw.kind),
      ['welcome', 'auto_reply', 'menu'],
    );
    assert.equal(replies[1]!.text, HOURS.ar);
    assert.equal(replies[1]!.raw.ruleId, created.body.id);
    await waitFor(
      () => helpdesk.sidecar.sends.some((send) => send.to.includes(phone.slice(1)) && send.text === HOURS.ar),
      10_000,
      'the auto-reply at the sidecar',
    );
    const ticket = await waitFor(
      async () => ((await ticketOf(helpdesk, phone))?.assignee_id ? ticketOf(helpdesk, phone) : null),
      10_000,
      'the ticket assigned',
    );
    assert.equal(ticket!.status, 'open');
    assert.equal(ticket!.assignee_id, agentId);

    // The menu choice, then a keyword: a human has the ticket, the bot no longer answers keywords.
    await customerWrites(phone, '1');
    const later = await customerWrites(phone, 'العنوان فين');
    assert.deepEqual(
      later.map((reply) => reply.raw.kind).filter((kind) => kind === 'auto_reply'),
      [],
    );
  });

  it('when the customer writes English, then the English reply is sent', async () => {
    const replies = await customerWrites('+201002220002', 'What are your opening hours?');
    const auto = replies.find((reply) => reply.raw.kind === 'auto_reply');
    assert.equal(auto?.text, HOURS.en);
  });

  it('when a rule is for another channel, or disabled, then it does not fire; re-enabled over the API, it does', async () => {
    const list = await admin.api.get<{ items: Array<{ id: string; keywords: string[] }> }>(
      '/api/auto-replies',
    );
    for (const rule of list.body.items) {
      const gone = await admin.api.fetch(`/api/auto-replies/${rule.id}`, { method: 'DELETE' });
      assert.equal(gone.status, 204);
    }
    // Another channel's rule (written as another admin process would; this process re-reads it).
    await query(
      helpdesk.database.url,
      `INSERT INTO auto_reply_rules (channel_key, keywords, reply, position)
       VALUES ('branch', '{صيدلية}', '{"ar": "فرع", "en": "branch"}', 0)`,
    );
    await helpdesk.context.autoReplies.reload();
    const disabled = await admin.api.post<{ id: string; enabled: boolean }>('/api/auto-replies', {
      channelKey: 'pharmacy',
      keywords: ['عنوان'],
      reply: ADDRESS,
      enabled: false,
    });
    assert.equal(disabled.status, 201);
    assert.equal(disabled.body.enabled, false);

    const phone = '+201002220003';
    const first = await customerWrites(phone, 'الصيدليه فين؟ والعنوان؟');
    assert.deepEqual(
      first.map((reply) => reply.raw.kind),
      ['welcome', 'menu'],
    );
    const enabled = await admin.api.patch<{ enabled: boolean }>(`/api/auto-replies/${disabled.body.id}`, {
      enabled: true,
    });
    assert.equal(enabled.status, 200);
    const other = '+201002220004';
    const replies = await customerWrites(other, 'العنوان فين');
    assert.equal(replies.find((reply) => reply.raw.kind === 'auto_reply')?.text, ADDRESS.ar);
    assertValidationError(
      await admin.api.patch(`/api/auto-replies/${disabled.body.id}`, { keywords: 'عنوان' }),
      'keywords',
    );
    const missing = await admin.api.patch('/api/auto-replies/00000000-0000-4000-8000-000000000000', {
      enabled: false,
    });
    assert.equal(missing.status, 404);
  });
});
