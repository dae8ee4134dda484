/**
 * The query plans of what the store runs (for the query-plan tests): every statement a piece of
 * work sends through a pool, Prisma's included (its driver adapter queries the same pool), is
 * recorded with its parameters and then explained by PostgreSQL, so a test checks the SQL the API
 * really runs, not a copy of it.
 */
import type pg from 'pg';

/** One plan node as EXPLAIN (FORMAT JSON) writes it: its type, table if any, and its children. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
  [field: string]: unknown;
}

/** A statement the work ran and PostgreSQL's plan for it. */
export interface StatementPlan {
  text: string;
  plan: PlanNode;
  /** With `analyze`: the statement's execution time as EXPLAIN ANALYZE measured it, ms; else null. */
  executionMs: number | null;
}

/**
 * Runs `work` with `pool`, records each statement it sends through `pool.query` or through a
 * client from `pool.connect` (reads only: statements starting with SELECT or WITH), then explains
 * each with the parameters it was sent with. The clients' `query` is restored before the
 * explaining starts.
 * @param options.analyze run each statement again under EXPLAIN (ANALYZE, BUFFERS) to time it.
 * @returns the plans in the order the statements ran.
 */
export async function explainStatementsOf(
  pool: pg.Pool,
  work: () => Promise<unknown>,
  options: { analyze?: boolean } = {},
): Promise<StatementPlan[]> {
  const recorded: Array<{ text: string; values: unknown[] }> = [];
  const recordingOf =
    (send: (...args: unknown[]) => unknown) =>
    (...args: unknown[]) => {
      const [first, second] = args;
      const statement =
        typeof first === 'string'
          ? { text: first, values: Array.isArray(second) ? second : [] }
          : (first as { text: string; values?: unknown[] });
      if (/^\s*(SELECT|WITH)\b/i.test(statement.text))
        recorded.push({ text: statement.text, values: statement.values ?? [] });
      return send(...args);
    };
  // pool.query checks a client out too: every client acquired meanwhile records (statements of a
  // transaction included) until the explaining starts, then gets its own query back.
  const checkedOut = new Map<pg.PoolClient, unknown>();
  const acquired = (client: pg.PoolClient) => {
    if (checkedOut.has(client)) return;
    checkedOut.set(client, client.query);
    (client as { query: unknown }).query = recordingOf(
      client.query.bind(client) as (...args: unknown[]) => unknown,
    );
  };
  pool.on('acquire', acquired);
  try {
    await work();
  } finally {
    pool.off('acquire', acquired);
    for (const [client, query] of checkedOut) (client as { query: unknown }).query = query;
  }
  const explain = options.analyze ? 'EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)' : 'EXPLAIN (FORMAT JSON)';
  const plans: StatementPlan[] = [];
  for (const statement of recorded) {
    const result = await pool.query<{
      'QUERY PLAN': Array<{ Plan: PlanNode; 'Execution Time'?: number }>;
    }>(`${explain} ${statement.text}`, statement.values);
    const [explained] = result.rows[0]!['QUERY PLAN'];
    plans.push({
      text: statement.text,
      plan: explained!.Plan,
      executionMs: explained!['Execution Time'] ?? null,
    });
  }
  return plans;
}

/** Every node of a plan, the root first. */
export function planNodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(planNodes)];
}
