/**
 * Auto-reply rules, admins only: `GET|POST /api/auto-replies`, `PATCH|DELETE /api/auto-replies/:id`.
 * The bot answers a customer's keyword before a human takes the ticket (domain/auto-reply.ts);
 * a write applies at once in this process and within 10 s in the workers.
 */
import {
  autoReplyRuleChangesBodySchema,
  autoReplyRuleCreateBodySchema,
  autoReplyRuleListSchema,
  autoReplyRuleSchema,
} from '@whatsapp-helpdesk/contract/api';
import type { Context } from '../../../context';
import { createAutoReply } from '../../../use-cases/auto-replies/create-auto-reply';
import { deleteAutoReply } from '../../../use-cases/auto-replies/delete-auto-reply';
import { listAutoReplies } from '../../../use-cases/auto-replies/list-auto-replies';
import { updateAutoReply } from '../../../use-cases/auto-replies/update-auto-reply';
import { toJson } from './views';
import { idParams, type ApiRouter } from './api-route';

const MATCH_RULE =
  'A customer message matches a rule when, after Arabic normalisation (أ/إ/آ → ا, ة → ه, ى → ي, harakat ' +
  'and tatweel removed) and case-folding, it contains one of its keywords as whole words (an Arabic word may ' +
  'carry the article ال or a one-letter prefix: "مواعيد" matches "ايه المواعيد؟"). The first enabled rule by ' +
  "position for the message's channel or for every channel (channelKey null) answers, while the ticket has " +
  'no assignee and the menu is not waiting for a choice; the ticket still goes to the queue.';

/** Registers the auto-reply routes. */
export function registerAutoReplyRoutes(router: ApiRouter, context: Context): void {
  router.add({
    method: 'GET',
    url: '/api/auto-replies',
    tag: 'auto-replies',
    summary: 'Every auto-reply rule (admins), by position',
    description: MATCH_RULE,
    auth: 'admin',
    response: autoReplyRuleListSchema,
    async handler() {
      return toJson(await listAutoReplies(context));
    },
  });

  router.add({
    method: 'POST',
    url: '/api/auto-replies',
    tag: 'auto-replies',
    summary: 'Add an auto-reply rule (admins)',
    description: `${MATCH_RULE} Position left out: after the last rule. 400 naming channelKey when no channel has the key.`,
    auth: 'admin',
    body: autoReplyRuleCreateBodySchema,
    status: 201,
    response: autoReplyRuleSchema,
    async handler({ body }) {
      return toJson(await createAutoReply(context, body));
    },
  });

  router.add({
    method: 'PATCH',
    url: '/api/auto-replies/:id',
    tag: 'auto-replies',
    summary: 'Change an auto-reply rule (admins)',
    description: 'Fields left out stay; channelKey null: every channel.',
    auth: 'admin',
    params: idParams,
    body: autoReplyRuleChangesBodySchema,
    response: autoReplyRuleSchema,
    errors: [404],
    async handler({ params, body }) {
      return toJson(await updateAutoReply(context, params.id, body));
    },
  });

  router.add({
    method: 'DELETE',
    url: '/api/auto-replies/:id',
    tag: 'auto-replies',
    summary: 'Delete an auto-reply rule (admins)',
    auth: 'admin',
    params: idParams,
    status: 204,
    errors: [404],
    async handler({ params }) {
      await deleteAutoReply(context, params.id);
    },
  });
}
