import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  decideBotReplies,
  type BotDecision,
  type BotSettings,
  type BotSituation,
} from '../../src/domain/bot';
import { DEFAULT_BOT_TEXTS, type BotTexts } from '../../src/domain/bot-texts';

const HOUR = 3_600_000;
const NOW = new Date('2024-01-07T10:00:00Z');
const texts = DEFAULT_BOT_TEXTS;

const settings: BotSettings = {
  texts,
  language: 'auto',
  menuMaxAttempts: 3,
  welcomeAfterSilenceMs: 24 * HOUR,
};

type SituationOverrides = Partial<Omit<BotSituation, 'ticket' | 'message'>> & {
  ticket?: Partial<BotSituation['ticket']>;
  message?: BotSituation['message'];
};

/** An ongoing conversation on an existing ticket, during business hours, unless overridden. */
function situation(overrides: SituationOverrides = {}): BotSituation {
  return {
    isNewCustomer: false,
    isNewTicket: false,
    previousInboundAt: new Date(NOW.getTime() - 5 * 60_000),
    now: NOW,
    businessOpen: true,
    ...overrides,
    ticket: {
      category: null,
      menuPending: false,
      menuAttempts: 0,
      afterHoursSentAt: null,
      language: null,
      ...overrides.ticket,
    },
    message: overrides.message ?? { text: 'hello' },
  };
}

/** The replies as a user reads them: kind and text (the menu's body for a menu). */
function readable(decision: BotDecision): Array<[string, string]> {
  return decision.replies.map((reply) => [reply.kind, reply.kind === 'menu' ? reply.menu.body : reply.text]);
}

describe('decideBotReplies: welcome and menu', () => {
  it('when a new customer writes in Arabic, then the Arabic welcome and the Arabic menu are sent in that order', () => {
    const decision = decideBotReplies(
      situation({
        isNewCustomer: true,
        isNewTicket: true,
        previousInboundAt: null,
        message: { text: 'السلام عليكم' },
      }),
      settings,
    );
    assert.deepEqual(readable(decision), [
      ['welcome', texts.welcome.ar],
      ['menu', texts.menuIntro.ar],
    ]);
    const menu = decision.replies[1];
    assert.ok(menu?.kind === 'menu');
    assert.equal(menu.menu.buttonText, 'الخدمات');
    assert.deepEqual(
      menu.menu.options.map((option) => [option.id, option.title]),
      [
        ['prescription_refill', 'إعادة صرف روشتة'],
        ['order_status', 'حالة الطلب'],
        ['pharmacist', 'التحدث مع صيدلي'],
        ['delivery', 'التوصيل والفروع'],
        ['other', 'استفسار آخر'],
      ],
    );
    assert.equal(decision.ticket.menuPending, true);
    assert.equal(decision.ticket.menuAttempts, 0);
    assert.equal(decision.ticket.language, 'ar');
    assert.equal(decision.ticket.category, undefined);
  });

  it('when a new customer writes in English, then the English welcome and the English menu are sent', () => {
    const decision = decideBotReplies(
      situation({ isNewCustomer: true, isNewTicket: true, previousInboundAt: null, message: { text: 'Hi' } }),
      settings,
    );
    assert.deepEqual(readable(decision), [
      ['welcome', 'Welcome to our pharmacy 👋 We are glad to help.'],
      ['menu', 'Please choose a service by sending its number:'],
    ]);
    const menu = decision.replies[1];
    assert.ok(menu?.kind === 'menu');
    assert.equal(menu.menu.options[0]?.title, 'Prescription refill');
    assert.equal(menu.menu.options[0]?.description, 'Send a photo of the prescription');
    assert.equal(decision.ticket.language, 'en');
  });

  it('when a known customer opens a new ticket after a long silence, then the welcome and the menu are sent', () => {
    const decision = decideBotReplies(
      situation({
        isNewTicket: true,
        previousInboundAt: new Date(NOW.getTime() - 30 * 24 * HOUR),
        message: { text: 'Hello again' },
      }),
      settings,
    );
    assert.deepEqual(readable(decision), [
      ['welcome', texts.welcome.en],
      ['menu', texts.menuIntro.en],
    ]);
    assert.equal(decision.ticket.menuPending, true);
  });

  it('when a known customer opens a new ticket after a short silence, then only the menu is sent, without a welcome', () => {
    const decision = decideBotReplies(
      situation({
        isNewTicket: true,
        previousInboundAt: new Date(NOW.getTime() - 2 * HOUR),
        message: { text: 'One more thing' },
      }),
      settings,
    );
    assert.deepEqual(readable(decision), [['menu', texts.menuIntro.en]]);
    assert.equal(decision.ticket.menuPending, true);
    assert.equal(decision.ticket.menuAttempts, 0);
  });

  it('when a customer writes again on a still-open ticket after a long silence, then no welcome or menu is sent', () => {
    const decision = decideBotReplies(
      situation({
        isNewTicket: false,
        previousInboundAt: new Date(NOW.getTime() - 30 * 24 * HOUR),
        ticket: { category: 'order_status', language: 'en' },
        message: { text: 'Any update on my order?' },
      }),
      settings,
    );
    assert.deepEqual(decision.replies, []);
    assert.equal(decision.ticket.menuPending, false);
  });

  it('when a message arrives on an existing classified ticket during business hours, then the bot stays silent', () => {
    const decision = decideBotReplies(
      situation({ ticket: { category: 'delivery', language: 'en' }, message: { text: 'Any news?' } }),
      settings,
    );
    assert.deepEqual(decision.replies, []);
    assert.equal(decision.ticket.menuPending, false);
    assert.equal(decision.ticket.category, undefined);
  });
});

describe('decideBotReplies: menu choice', () => {
  it('when the customer answers the menu with the Arabic-Indic digit "٢", then the category is order_status and an Arabic confirmation is sent', () => {
    const decision = decideBotReplies(
      situation({ ticket: { menuPending: true, language: 'ar' }, message: { text: '٢' } }),
      settings,
    );
    assert.deepEqual(readable(decision), [
      ['confirmation', 'تم اختيار: حالة الطلب. سيتواصل معك أحد الصيادلة قريباً.'],
    ]);
    assert.equal(decision.ticket.category, 'order_status');
    assert.equal(decision.ticket.menuPending, false);
    assert.equal(decision.ticket.language, 'ar');
  });

  it('when an English-speaking customer answers "3", then the category is pharmacist and the confirmation is in English', () => {
    const decision = decideBotReplies(
      situation({ ticket: { menuPending: true, language: 'en' }, message: { text: '3' } }),
      settings,
    );
    assert.deepEqual(readable(decision), [
      ['confirmation', 'You chose: Talk to a pharmacist. A member of our team will be with you shortly.'],
    ]);
    assert.equal(decision.ticket.category, 'pharmacist');
    assert.equal(decision.ticket.language, 'en');
  });

  it('when the customer picks a row of the interactive list, then the row id becomes the category', () => {
    const decision = decideBotReplies(
      situation({
        ticket: { menuPending: true, language: 'en' },
        message: { text: 'Delivery and branches', menuChoice: 'delivery' },
      }),
      settings,
    );
    assert.equal(decision.ticket.category, 'delivery');
    assert.deepEqual(readable(decision), [
      ['confirmation', 'You chose: Delivery and branches. A member of our team will be with you shortly.'],
    ]);
  });

  it('when the customer sends an invalid choice, then the menu is repeated with the "did not understand" line first', () => {
    const decision = decideBotReplies(
      situation({ ticket: { menuPending: true, language: 'en' }, message: { text: 'I need help' } }),
      settings,
    );
    assert.deepEqual(readable(decision), [
      ['menu', 'Sorry, we did not understand your choice.\nPlease choose a service by sending its number:'],
    ]);
    assert.equal(decision.ticket.menuPending, true);
    assert.equal(decision.ticket.menuAttempts, 1);
    assert.equal(decision.ticket.category, undefined);
  });

  it('when the customer keeps sending invalid choices, then the menu is shown at most menuMaxAttempts times and the bot then stops asking', () => {
    let decision = decideBotReplies(
      situation({ isNewCustomer: true, isNewTicket: true, previousInboundAt: null, message: { text: 'hi' } }),
      settings,
    );
    let menusShown = decision.replies.filter((reply) => reply.kind === 'menu').length;
    const answers = ['what?', '9', 'help me', 'please', 'hello?', '???'];
    for (const text of answers) {
      decision = decideBotReplies(
        situation({
          ticket: {
            menuPending: decision.ticket.menuPending,
            menuAttempts: decision.ticket.menuAttempts,
            language: decision.ticket.language,
          },
          message: { text },
        }),
        settings,
      );
      menusShown += decision.replies.filter((reply) => reply.kind === 'menu').length;
    }
    assert.equal(menusShown, settings.menuMaxAttempts);
    assert.equal(decision.ticket.menuPending, false);
    assert.equal(decision.ticket.category, undefined);
    assert.deepEqual(decision.replies, []);
  });

  it('when the last allowed attempt is invalid, then no menu is sent and the ticket is left for an agent to classify', () => {
    const decision = decideBotReplies(
      situation({ ticket: { menuPending: true, menuAttempts: 2, language: 'en' }, message: { text: 'x' } }),
      settings,
    );
    assert.deepEqual(decision.replies, []);
    assert.equal(decision.ticket.menuPending, false);
    assert.equal(decision.ticket.menuAttempts, 3);
  });

  it('when the menu was never offered on a ticket, then a digit is not taken as a menu choice', () => {
    const decision = decideBotReplies(
      situation({ ticket: { category: 'other', language: 'en' }, message: { text: '2' } }),
      settings,
    );
    assert.deepEqual(decision.replies, []);
    assert.equal(decision.ticket.category, undefined);
  });

  it('when the bot language is fixed to English and the customer writes Arabic, then replies are in English', () => {
    const decision = decideBotReplies(
      situation({
        isNewCustomer: true,
        isNewTicket: true,
        previousInboundAt: null,
        message: { text: 'مرحبا' },
      }),
      { ...settings, language: 'en' },
    );
    assert.deepEqual(readable(decision), [
      ['welcome', texts.welcome.en],
      ['menu', texts.menuIntro.en],
    ]);
    assert.equal(decision.ticket.language, 'en');
  });

  it('when a configured option title contains "$$", then the confirmation shows the title verbatim', () => {
    const custom: BotTexts = {
      ...texts,
      menu: [{ id: 'offers', title: { ar: 'عروض $$', en: 'Offers ($$)' } }],
    };
    const decision = decideBotReplies(
      situation({ ticket: { menuPending: true, language: 'en' }, message: { text: '1' } }),
      { ...settings, texts: custom },
    );
    assert.deepEqual(readable(decision), [
      ['confirmation', 'You chose: Offers ($$). A member of our team will be with you shortly.'],
    ]);
  });
});

describe('decideBotReplies: after hours', () => {
  it('when a new customer writes outside business hours, then welcome, menu and after-hours message are sent in that order', () => {
    const decision = decideBotReplies(
      situation({
        isNewCustomer: true,
        isNewTicket: true,
        previousInboundAt: null,
        businessOpen: false,
        message: { text: 'Hello' },
      }),
      settings,
    );
    assert.deepEqual(readable(decision), [
      ['welcome', texts.welcome.en],
      ['menu', texts.menuIntro.en],
      ['after_hours', texts.afterHours.en],
    ]);
    assert.deepEqual(decision.ticket.afterHoursSentAt, NOW);
  });

  it('when a valid choice arrives outside business hours, then the confirmation comes before the after-hours message', () => {
    const decision = decideBotReplies(
      situation({
        businessOpen: false,
        ticket: { menuPending: true, language: 'ar' },
        message: { text: '١' },
      }),
      settings,
    );
    assert.deepEqual(readable(decision), [
      ['confirmation', 'تم اختيار: إعادة صرف روشتة. سيتواصل معك أحد الصيادلة قريباً.'],
      ['after_hours', texts.afterHours.ar],
    ]);
    assert.equal(decision.ticket.category, 'prescription_refill');
  });

  it('when the after-hours message was sent 2 hours ago on this ticket, then it is not sent again', () => {
    const decision = decideBotReplies(
      situation({
        businessOpen: false,
        ticket: { category: 'other', language: 'en', afterHoursSentAt: new Date(NOW.getTime() - 2 * HOUR) },
        message: { text: 'Still there?' },
      }),
      settings,
    );
    assert.deepEqual(decision.replies, []);
    assert.equal(decision.ticket.afterHoursSentAt, undefined);
  });

  it('when the after-hours message was sent 12 hours ago, then it is sent again', () => {
    const decision = decideBotReplies(
      situation({
        businessOpen: false,
        ticket: { category: 'other', language: 'en', afterHoursSentAt: new Date(NOW.getTime() - 12 * HOUR) },
        message: { text: 'Hello?' },
      }),
      settings,
    );
    assert.deepEqual(readable(decision), [['after_hours', texts.afterHours.en]]);
    assert.deepEqual(decision.ticket.afterHoursSentAt, NOW);
  });

  it('when the business is open, then no after-hours message is sent', () => {
    const decision = decideBotReplies(
      situation({
        isNewCustomer: true,
        isNewTicket: true,
        previousInboundAt: null,
        businessOpen: true,
        message: { text: 'Hello' },
      }),
      settings,
    );
    assert.ok(decision.replies.every((reply) => reply.kind !== 'after_hours'));
    assert.equal(decision.ticket.afterHoursSentAt, undefined);
  });
});
