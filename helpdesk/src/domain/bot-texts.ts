/**
 * The bot's words: welcome, service menu, confirmations and after-hours reply, in Arabic and
 * English. Defaults suit a pharmacy; `BOT_TEXTS_FILE` replaces any of them (JSON of this shape).
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
};

/** The option ids in display order. */
export function menuOptionIds(texts: BotTexts): string[] {
  return texts.menu.map((option) => option.id);
}
