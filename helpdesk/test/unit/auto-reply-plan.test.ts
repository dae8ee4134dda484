/**
 * When the bot applies an auto-reply (use-cases/inbound/plan-message.ts): before a human takes the
 * ticket (no assignee), not while the menu waits for a choice, in the bot's language, after the
 * welcome and before the menu, never instead of an opt-out confirmation.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AutoReplyRule } from '../../src/domain/auto-reply';
import { DEFAULT_BOT_TEXTS } from '../../src/domain/bot-texts';
import { planMessage, type PlanSettings } from '../../src/use-cases/inbound/plan-message';
import type { TicketRow } from '../../src/store/inbound-tickets';
import type { InboundMessage } from '../../src/whatsapp/inbound-event';

const RULE: AutoReplyRule = {
  id: 'hours',
  channelKey: null,
  keywords: ['مواعيد', 'hours'],
  reply: { ar: 'من ٩ إلى ١١', en: '9 to 11' },
  enabled: true,
  position: 0,
};

const SETTINGS: PlanSettings = {
  bot: { texts: DEFAULT_BOT_TEXTS, language: 'auto', menuMaxAttempts: 3, welcomeAfterSilenceMs: 86_400_000 },
  businessHours: null,
  businessTimeZone: 'Africa/Cairo',
  autoReplies: { rules: () => [RULE] },
};

const TICKET: TicketRow = {
  id: 't1',
  number: 1,
  status: 'open',
  resolvedAt: null,
  category: null,
  assigneeId: null,
  menuPending: false,
  menuAttempts: 0,
  afterHoursSentAt: null,
  language: null,
  snoozedUntil: null,
};

function event(text: string): InboundMessage {
  return {
    provider: 'wppconnect',
    channel: 'pharmacy',
    providerMessageId: `m-${text}`,
    timestamp: new Date().toISOString(),
    from: { phone: '+201000000001', lid: null, userId: null, name: null },
    type: 'text',
    text,
  } as InboundMessage;
}

function kinds(
  text: string,
  ticket: Partial<TicketRow>,
  options: { created?: boolean; settings?: PlanSettings } = {},
) {
  const { plan } = planMessage(options.settings ?? SETTINGS, {
    event: event(text),
    customer: { created: options.created ?? false, previousInboundAt: null },
    ticket: { ...TICKET, ...ticket },
    change: options.created ? 'opened' : null,
    now: new Date(),
  });
  return plan.replies.map((reply) => [(reply.raw as { kind: string }).kind, reply.text]);
}

describe('auto-replies in the bot plan', () => {
  it('answers a new customer after the welcome and before the menu, in their language', () => {
    const replies = kinds('ايه المواعيد؟', {}, { created: true });
    assert.deepEqual(
      replies.map(([kind]) => kind),
      ['welcome', 'auto_reply', 'menu'],
    );
    assert.equal(replies[1]![1], RULE.reply.ar);
    assert.deepEqual(kinds('your hours?', { category: 'orders' }), [['auto_reply', RULE.reply.en]]);
  });

  it('stays quiet once a human has the ticket, while the menu waits, or with no rules', () => {
    assert.deepEqual(kinds('المواعيد', { category: 'orders', assigneeId: 'agent' }), []);
    assert.ok(!kinds('المواعيد', { menuPending: true }).some(([kind]) => kind === 'auto_reply'));
    assert.deepEqual(
      kinds('المواعيد', { category: 'orders' }, { settings: { ...SETTINGS, autoReplies: undefined } }),
      [],
    );
  });

  it('does not answer an opt-out word with an auto-reply', () => {
    const settings = { ...SETTINGS, autoReplies: { rules: () => [{ ...RULE, keywords: ['stop'] }] } };
    assert.ok(!kinds('STOP', { category: 'orders' }, { settings }).some(([kind]) => kind === 'auto_reply'));
  });
});
