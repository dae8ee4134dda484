/**
 * A team's members (team_members) and its categories (teams.categories) change together in one
 * transaction, so a read of the teams must show them together: the admin page saved a member and
 * a category at once and CI once read the member without the category (Prisma loads a relation
 * with a second statement, which saw a later commit than the first).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createDatabase, type Database } from '../../src/store/database';
import { findTeam, insertTeam, listTeams, updateTeam } from '../../src/store/teams';
import { addAgent } from '../../src/use-cases/agents/create-agent';
import { createTestDatabase, type TestDatabase } from '../support/database';

describe('teams read while they change', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let db: Database;

  before(async () => {
    database = await createTestDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: 8 });
    // pool.end() resolves before its connections have closed, and the drop that follows
    // terminates those still closing (CI once saw it): expected then, not a failure of the reads.
    pool.on('connect', (client) => client.on('error', () => {}));
    db = createDatabase(pool);
  });
  after(async () => {
    await db.$disconnect();
    await pool.end();
    await database.drop();
  });

  it('when members and categories change together, then every read shows both changed or neither', async () => {
    const agent = await addAgent(db, {
      name: 'Mona',
      email: 'mona.teams@pharmacy.test',
      password: 'mona-password-123',
      capacity: 5,
    });
    const team = await insertTeam(db, { name: 'Pharmacists', memberIds: [] });
    const states = new Set<string>();
    let writing = true;
    const writer = (async () => {
      for (let round = 0; round < 150; round += 1) {
        const on = round % 2 === 0;
        await updateTeam(db, team.id, {
          memberIds: on ? [agent.id] : [],
          categories: on ? ['pharmacist'] : [],
        });
      }
      writing = false;
    })();
    const reader = async (read: () => Promise<{ memberIds: string[]; categories: string[] } | undefined>) => {
      while (writing) {
        const seen = await read();
        states.add(JSON.stringify([seen?.memberIds.length, seen?.categories]));
      }
    };
    await Promise.all([
      writer,
      reader(async () => (await listTeams(db))[0]),
      reader(async () => (await listTeams(db))[0]),
      reader(async () => (await findTeam(db, team.id)) ?? undefined),
    ]);
    const together = [JSON.stringify([0, []]), JSON.stringify([1, ['pharmacist']])];
    const mixed = [...states].filter((state) => !together.includes(state));
    assert.deepEqual(mixed, [], 'a read showed members and categories from different moments');
  });
});
