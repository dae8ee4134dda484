/**
 * Zod schemas of the WhatsApp Cloud API `messages` webhook, as Meta's "Webhooks reference:
 * messages" documents it (WhatsApp Cloud API). Only what the helpdesk reads is checked; every other
 * field passes through untouched and is kept in `raw`. Each message, status and contact is checked
 * on its own, so one malformed item never hides the others.
 *
 * Envelope: `{ object: "whatsapp_business_account", entry: [{ id, changes: [{ field: "messages",
 * value: { messaging_product, metadata: { display_phone_number, phone_number_id }, contacts,
 * messages, statuses, errors } }] }] }`.
 *
 * Free-text fields carry no length limit here: the neutral schema (inbound-event.ts) shortens them,
 * so a long name, caption or filename never costs the customer's message.
 */
import { z } from 'zod';

const id = z.string().min(1).max(512);
/** Unix seconds, as a string in Meta's examples ("1603059201"); numbers are accepted too. */
const unixSeconds = z
  .union([z.string().regex(/^\d{1,12}$/, 'must be Unix seconds'), z.number().int().nonnegative()])
  .transform((value) => Number(value));

/** The notification: `object` must be whatsapp_business_account; entries are read one by one. */
export const envelopeSchema = z.object({
  object: z.literal('whatsapp_business_account', { message: 'must be "whatsapp_business_account"' }),
  entry: z.array(z.unknown()).max(1000),
});

/** One entry: a WhatsApp Business Account's changes. */
export const entrySchema = z.object({
  /** WhatsApp Business Account id. */
  id: z.string().optional(),
  changes: z.array(z.unknown()).max(1000),
});

/** One change: `field` names the subscription (only `messages` is handled). */
export const changeSchema = z.object({
  field: z.string().min(1),
  value: z.record(z.string(), z.unknown()),
});

/** The value of a `messages` change; its lists are read item by item. */
export const messagesValueSchema = z.object({
  messaging_product: z.literal('whatsapp').optional(),
  metadata: z.object({
    display_phone_number: z.string().optional(),
    phone_number_id: id,
  }),
  contacts: z.array(z.unknown()).max(1000).optional(),
  messages: z.array(z.unknown()).max(1000).optional(),
  statuses: z.array(z.unknown()).max(1000).optional(),
  errors: z.array(z.unknown()).max(1000).optional(),
});

/** `value.contacts[]`: the sender's profile, wa_id (phone, may be absent) and business-scoped user id. */
export const contactSchema = z.object({
  wa_id: z.string().max(64).optional(),
  /** Business-scoped user id (BSUID), e.g. "US.13491208655302741918" (Meta, "Business-scoped user IDs"). */
  user_id: z.string().max(256).optional(),
  parent_user_id: z.string().max(256).optional(),
  profile: z.object({ name: z.string().optional(), username: z.string().optional() }).optional(),
});
export type CloudContact = z.infer<typeof contactSchema>;

/** A webhook error object (statuses[].errors, value.errors, messages[].errors). */
export const webhookErrorSchema = z.object({
  code: z.union([z.number(), z.string()]).optional(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.object({ details: z.string().optional() }).optional(),
});
export type CloudWebhookError = z.infer<typeof webhookErrorSchema>;

const mediaSchema = z.object({
  id,
  mime_type: z.string().min(1).optional(),
  sha256: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
  /** Audio only: true for a voice note recorded in WhatsApp. */
  voice: z.boolean().optional(),
  animated: z.boolean().optional(),
});
export type CloudMedia = z.infer<typeof mediaSchema>;

/** Fields every inbound message has; `from` (the wa_id) is absent for some username users. */
export const baseMessageSchema = z.object({
  id: z.string().min(1).max(256),
  timestamp: unixSeconds,
  type: z.string().min(1).max(64),
  from: z.string().min(1).max(64).optional(),
  /** Business-scoped user id of the sender. */
  from_user_id: z.string().max(256).optional(),
  /**
   * A reply's quoted message (`id`, its author's wa_id `from`: our display number when it is ours),
   * or a forwarded message's flags (`forwarded`, `frequently_forwarded`: forwarded more than 5
   * times) (Meta, "Webhooks reference: messages", context object).
   */
  context: z
    .object({
      id: z.string().optional(),
      from: z.string().optional(),
      forwarded: z.boolean().optional(),
      frequently_forwarded: z.boolean().optional(),
    })
    .optional(),
  errors: z.array(webhookErrorSchema).optional(),
});

/** The content object of each message type the helpdesk maps (key = `type`). */
export const contentSchemas = {
  text: z.object({ text: z.object({ body: z.string() }) }),
  image: z.object({ image: mediaSchema }),
  video: z.object({ video: mediaSchema }),
  audio: z.object({ audio: mediaSchema }),
  document: z.object({ document: mediaSchema }),
  sticker: z.object({ sticker: mediaSchema }),
  location: z.object({
    location: z.object({
      latitude: z.coerce.number().min(-90).max(90),
      longitude: z.coerce.number().min(-180).max(180),
      name: z.string().optional(),
      address: z.string().optional(),
      url: z.string().optional(),
    }),
  }),
  /** Shared contact cards (Meta, "Webhooks reference: messages", contacts object). */
  contacts: z.object({
    contacts: z
      .array(
        z.object({
          name: z
            .object({
              formatted_name: z.string().optional(),
              first_name: z.string().optional(),
              last_name: z.string().optional(),
            })
            .optional(),
          org: z
            .object({
              company: z.string().optional(),
              department: z.string().optional(),
              title: z.string().optional(),
            })
            .optional(),
          phones: z
            .array(
              z.object({
                phone: z.string().optional(),
                wa_id: z.string().optional(),
                type: z.string().optional(),
              }),
            )
            .optional(),
          emails: z.array(z.object({ email: z.string().optional(), type: z.string().optional() })).optional(),
        }),
      )
      .min(1),
  }),
  interactive: z.object({
    interactive: z.object({
      type: z.string().min(1),
      list_reply: z
        .object({
          id: z.string().min(1),
          title: z.string(),
          description: z.string().optional(),
        })
        .optional(),
      button_reply: z.object({ id: z.string().min(1), title: z.string() }).optional(),
      /** A WhatsApp Flow's answer: `response_json` is the flow's data as a JSON string. */
      nfm_reply: z
        .object({
          name: z.string().optional(),
          body: z.string().optional(),
          response_json: z.string().optional(),
        })
        .optional(),
    }),
  }),
  button: z.object({
    button: z.object({ payload: z.string().optional(), text: z.string() }),
  }),
  reaction: z.object({
    reaction: z.object({ message_id: z.string().min(1), emoji: z.string().optional() }),
  }),
  system: z.object({ system: z.object({ body: z.string().optional() }).optional() }),
} as const;

/**
 * The customer edited a message (Meta, "Edit messages webhook reference"; sent to WhatsApp Business
 * app numbers onboarded to the Cloud API, "Coexistence"): `original_message_id` names the edited
 * message, `message` its new content as a message object (a `text` body, or a media caption).
 */
export const editSchema = z.object({
  edit: z.object({
    original_message_id: z.string().min(1).max(256),
    message: z
      .object({
        type: z.string().optional(),
        text: z.object({ body: z.string() }).optional(),
      })
      .catchall(z.unknown())
      .optional(),
  }),
});

/**
 * The customer deleted a message for everyone (Meta, "Revoke messages webhook reference";
 * Coexistence numbers): `original_message_id` names it.
 */
export const revokeSchema = z.object({
  revoke: z.object({ original_message_id: z.string().min(1).max(256) }),
});

/** One `statuses[]` item: a delivery status of a message the business sent. */
export const statusSchema = z.object({
  /** The wamid of the business's message. */
  id: z.string().min(1).max(256),
  status: z.string().min(1).max(32),
  timestamp: unixSeconds,
  recipient_id: z.string().max(64).optional(),
  recipient_user_id: z.string().max(256).optional(),
  errors: z.array(webhookErrorSchema).optional(),
});
