/**
 * What agents' actions on tickets and agents need from the process's `Deps` (context.ts).
 */
import type { Deps } from '../../context';

/** Database (Prisma and the pool under it), queues, the realtime publisher and a logger. */
export type TicketActionDependencies = Pick<Deps, 'db' | 'pool' | 'queues' | 'realtime' | 'log'>;
