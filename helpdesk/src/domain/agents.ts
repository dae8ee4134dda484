/**
 * Agents' rules: availabilities, roles, what a password must be and what a new agent must give.
 * Pure (zod schemas only).
 */
import { z } from 'zod';

import { AGENT_ROLES } from '@whatsapp-helpdesk/contract/api';

export {
  AGENT_ROLES,
  AVAILABILITIES,
  type AgentRole,
  type Availability as AgentAvailability,
} from '@whatsapp-helpdesk/contract/api';

/** Fewest characters of a password. */
export const PASSWORD_MIN_LENGTH = 10;
/** bcrypt reads at most 72 bytes; a longer password would silently be cut, so it is refused. */
const PASSWORD_MAX_BYTES = 72;
/** Fewest different characters: refuses `aaaaaaaaaa`, `1212121212` and the like. */
const PASSWORD_MIN_DISTINCT = 5;

/** The rule every agent's password follows (creation, change, reset, CLI). */
export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .refine(
    (password) => new TextEncoder().encode(password).length <= PASSWORD_MAX_BYTES,
    `must be at most ${PASSWORD_MAX_BYTES} bytes (about 36 Arabic or 72 Latin characters)`,
  )
  .refine(
    (password) => new Set(password).size >= PASSWORD_MIN_DISTINCT,
    `must use at least ${PASSWORD_MIN_DISTINCT} different characters`,
  );

/** What creating an agent takes: the email is stored in lower case. */
export const newAgentSchema = z.object({
  name: z.string().trim().min(1, 'is required').max(200),
  email: z.email({ message: 'must be an email address' }).transform((email) => email.toLowerCase()),
  password: passwordSchema,
  capacity: z.coerce.number().int('must be a whole number').min(0).max(1000),
  role: z.enum(AGENT_ROLES).default('agent'),
});
export type NewAgent = z.input<typeof newAgentSchema>;
