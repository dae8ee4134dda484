/**
 * Response-time targets (SLA policies), admins only: `GET|POST /api/sla-policies`,
 * `PATCH|DELETE /api/sla-policies/:id`. The most specific matching policy applies to a ticket
 * (category + channel > category + team > category > channel + team > channel > team > none); the
 * sla-check job gives tickets their due times within SLA_CHECK_MS of a change.
 */
import {
  slaPolicyChangesBodySchema,
  slaPolicyCreateBodySchema,
  slaPolicyListSchema,
  slaPolicySchema,
} from '@whatsapp-helpdesk/contract/api';
import type { Context } from '../../../context';
import { createSlaPolicy } from '../../../use-cases/sla/create-sla-policy';
import { deleteSlaPolicy } from '../../../use-cases/sla/delete-sla-policy';
import { listSlaPolicies } from '../../../use-cases/sla/list-sla-policies';
import { updateSlaPolicy } from '../../../use-cases/sla/update-sla-policy';
import { toJson } from './views';
import { idParams, type ApiRouter } from './api-route';

const MATCH_RULE =
  'A ticket gets the most specific policy that matches it (a match field left null matches any): ' +
  'category + channel > category + team > category > channel + team > channel > team > none. ' +
  "A ticket's team is the team it was transferred to, else the team taking its category, else its channel's.";

/** Registers the SLA policy routes. */
export function registerSlaPolicyRoutes(router: ApiRouter, context: Context): void {
  router.add({
    method: 'GET',
    url: '/api/sla-policies',
    tag: 'sla-policies',
    summary: 'Every response-time target policy (admins), most specific first',
    description: MATCH_RULE,
    auth: 'admin',
    response: slaPolicyListSchema,
    async handler() {
      return toJson(await listSlaPolicies(context));
    },
  });

  router.add({
    method: 'POST',
    url: '/api/sla-policies',
    tag: 'sla-policies',
    summary: 'Add a response-time target policy (admins)',
    description:
      `${MATCH_RULE} firstResponseMinutes: whole minutes; resolutionHours: hours (fractions allowed, stored ` +
      'as whole minutes); businessHours (default true): count only business hours (BUSINESS_HOURS, or the ' +
      "channel's override). 400 naming category, channelKey or teamId when unknown; 409 when the name or " +
      'the match is taken.',
    auth: 'admin',
    body: slaPolicyCreateBodySchema,
    status: 201,
    response: slaPolicySchema,
    errors: [409],
    async handler({ body }) {
      return toJson(await createSlaPolicy(context, body));
    },
  });

  router.add({
    method: 'PATCH',
    url: '/api/sla-policies/:id',
    tag: 'sla-policies',
    summary: 'Change a response-time target policy (admins)',
    description:
      'Fields left out stay; null clears a match field (any). Active tickets that had the policy get ' +
      'their due times again at the next sla-check run.',
    auth: 'admin',
    params: idParams,
    body: slaPolicyChangesBodySchema,
    response: slaPolicySchema,
    errors: [404, 409],
    async handler({ params, body }) {
      return toJson(await updateSlaPolicy(context, params.id, body));
    },
  });

  router.add({
    method: 'DELETE',
    url: '/api/sla-policies/:id',
    tag: 'sla-policies',
    summary: 'Delete a response-time target policy (admins)',
    description: 'Its tickets get the next matching policy, or none, at the next sla-check run.',
    auth: 'admin',
    params: idParams,
    status: 204,
    errors: [404],
    async handler({ params }) {
      await deleteSlaPolicy(context, params.id);
    },
  });
}
