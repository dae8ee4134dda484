/**
 * The bot's words: welcome, service menu, confirmations, after-hours reply and the satisfaction
 * survey (CSAT) asked when a ticket is resolved, in Arabic and English. Defaults suit a pharmacy; `BOT_TEXTS_FILE` replaces any of them (JSON of this shape).
 */
import { z } from 'zod';

export const LANGUAGES = ['ar', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const localised = z.object({ ar: z.string().min(1).max(1024), en: z.string().min(1).max(1024) });

export const botTextsSchema = z.object({
  welcome: localised,
  menuIntro: localised,
  menuButton: localised,
  /** `{option}` is replaced by the chosen option's title. */
  confirmation: localised,
  invalidChoice: localised,
  afterHours: localised,
  menu: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z0-9_]{1,64}$/, 'lower-case letters, digits and _ only'),
        title: localised,
        description: localised.partial().optional(),
      }),
    )
    .min(1)
    .max(10),
  /** The satisfaction question sent when an agent resolves a ticket (CSAT). */
  csatQuestion: localised,
  /** The label of the button that opens the rating list (Cloud API). */
  csatButton: localised,
  /** The five ratings' titles, 1 (poor) to 5 (excellent), in that order. */
  csatOptions: z.array(localised).length(5),
  /** The thanks for a rating. */
  csatThanks: localised,
  /** Sent after the thanks for a low rating (1 or 2). */
  csatLowFollowUp: localised,
});
export type BotTexts = z.infer<typeof botTextsSchema>;

export const DEFAULT_BOT_TEXTS: BotTexts = {
  welcome: {
    ar: 'أهلاً بك في صيدليتنا 👋 يسعدنا خدمتك.',
    en: 'Welcome to our pharmacy 👋 We are glad to help.',
  },
  menuIntro: {
    ar: 'من فضلك اختر الخدمة بإرسال رقمها:',
    en: 'Please choose a service by sending its number:',
  },
  menuButton: { ar: 'الخدمات', en: 'Services' },
  confirmation: {
    ar: 'تم اختيار: {option}. سيتواصل معك أحد الصيادلة قريباً.',
    en: 'You chose: {option}. A member of our team will be with you shortly.',
  },
  invalidChoice: {
    ar: 'عذراً، لم نفهم اختيارك.',
    en: 'Sorry, we did not understand your choice.',
  },
  afterHours: {
    ar: 'شكراً لتواصلك. نحن خارج مواعيد العمل الآن، وسنرد عليك فور عودتنا.',
    en: 'Thank you for your message. We are closed right now and will reply as soon as we are back.',
  },
  menu: [
    {
      id: 'prescription_refill',
      title: { ar: 'إعادة صرف روشتة', en: 'Prescription refill' },
      description: { ar: 'أرسل صورة الروشتة', en: 'Send a photo of the prescription' },
    },
    { id: 'order_status', title: { ar: 'حالة الطلب', en: 'Order status' } },
    { id: 'pharmacist', title: { ar: 'التحدث مع صيدلي', en: 'Talk to a pharmacist' } },
    { id: 'delivery', title: { ar: 'التوصيل والفروع', en: 'Delivery and branches' } },
    { id: 'other', title: { ar: 'استفسار آخر', en: 'Something else' } },
  ],
  csatQuestion: {
    ar: 'كيف تقيّم خدمتنا؟ أرسل رقماً من 1 (سيئة) إلى 5 (ممتازة)، ويمكنك إضافة تعليق بعده.',
    en: 'How would you rate our service? Send a number from 1 (poor) to 5 (excellent); you may add a comment after it.',
  },
  csatButton: { ar: 'التقييم', en: 'Rate' },
  csatOptions: [
    { ar: '1 ⭐ سيئة', en: '1 ⭐ Poor' },
    { ar: '2 ⭐ مقبولة', en: '2 ⭐ Fair' },
    { ar: '3 ⭐ جيدة', en: '3 ⭐ Good' },
    { ar: '4 ⭐ جيدة جداً', en: '4 ⭐ Very good' },
    { ar: '5 ⭐ ممتازة', en: '5 ⭐ Excellent' },
  ],
  csatThanks: {
    ar: 'شكراً لتقييمك! 🙏',
    en: 'Thank you for your rating! 🙏',
  },
  csatLowFollowUp: {
    ar: 'نأسف لأن تجربتك لم تكن جيدة. سيتواصل معك أحد المسؤولين لمعرفة ما حدث.',
    en: 'We are sorry your experience was not good. A team lead will contact you to hear what went wrong.',
  },
};

/** The option ids in display order. */
export function menuOptionIds(texts: BotTexts): string[] {
  return texts.menu.map((option) => option.id);
}
