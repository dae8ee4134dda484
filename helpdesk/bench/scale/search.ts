/**
 * Search alone on a seeded year (issue 18): each query the agents type (a whole phone, its local
 * form, its last digits, a full and a partial name, `#number`, words of messages) run through the
 * search use case on `DATABASE_URL`, one client, one query at a time (no other load), after one
 * warm-up run; prints the median and the slowest of `SEARCH_RUNS` (5) runs per query in ms.
 * Usage: DATABASE_URL=postgresql://…/scale_search npx tsx bench/scale/search.ts [extra queries…]
 */
import pg from 'pg';
import { searchEverywhere } from '../../src/use-cases/search/search-everywhere';
import { percentile } from '../statistics';

const RUNS = Number(process.env.SEARCH_RUNS ?? 5);

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL names the seeded database');
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const admin = (await pool.query<{ id: string }>(`SELECT id FROM agents WHERE role = 'admin' LIMIT 1`))
    .rows[0];
  if (!admin) throw new Error('no admin agent: seed the database first');
  const actor = { id: admin.id, role: 'admin' as const };
  const [english, arabic] = (
    await pool.query<{ name: string; phone: string }>(
      `(SELECT name, phone FROM customers WHERE name ~ '^[A-Za-z ]+$' ORDER BY last_inbound_at DESC NULLS LAST LIMIT 1)
       UNION ALL
       (SELECT name, phone FROM customers WHERE name !~ '[A-Za-z]' ORDER BY last_inbound_at DESC NULLS LAST LIMIT 1)`,
    )
  ).rows;
  const number = (await pool.query<{ number: number }>(`SELECT max(number) / 3 AS number FROM tickets`))
    .rows[0]!;
  const queries = [
    english!.phone,
    `0${english!.phone.slice(3)}`,
    english!.phone.slice(-7),
    english!.name,
    arabic!.name,
    english!.name.slice(0, 4),
    `#${number.number}`,
    'Augmentin',
    'أوجمنتين',
    'روشتة',
    'prescription',
    'بانادول',
    'Concor',
    'delivery',
    'التوصيل',
    ...process.argv.slice(2),
  ];
  const deps = { pool, config: { defaultCountry: 'EG' } } as Parameters<typeof searchEverywhere>[0];
  for (const q of queries) {
    const times: number[] = [];
    let hits = 0;
    for (let run = 0; run <= RUNS; run += 1) {
      const started = performance.now();
      hits = (await searchEverywhere(deps, actor, { q, limit: 20 })).length;
      if (run > 0) times.push(performance.now() - started);
    }
    console.log(
      `${q.padEnd(20)} hits ${String(hits).padStart(2)}  median ${percentile(times, 50)} ms  max ${percentile(times, 100)} ms`,
    );
  }
  await pool.end();
}

await main();
