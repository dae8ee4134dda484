/**
 * The search folding exists twice: in TypeScript for the query (normaliseSearchText) and in
 * PostgreSQL for what is stored and indexed (search_normalise, migration 20261128140000_search).
 * A query only finds what the database folded the same way, so both must agree on every character.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import pg from 'pg';
import { normaliseSearchText } from '@whatsapp-helpdesk/contract/normalise';
import { createTestDatabase, type TestDatabase } from '../support/database';

describe('search folding: TypeScript and PostgreSQL agree', () => {
  let database: TestDatabase;
  let client: pg.Client;

  before(async () => {
    database = await createTestDatabase();
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });
  after(async () => {
    await client.end();
    await database.drop();
  });

  const inDatabase = async (values: string[]): Promise<string[]> =>
    (
      await client.query<{ folded: string }>(
        'SELECT search_normalise(value) AS folded FROM unnest($1::text[]) WITH ORDINALITY AS v(value, n) ORDER BY n',
        [values],
      )
    ).rows.map((row) => row.folded);

  it('when known Arabic variants are folded, then both give the documented result', async () => {
    const cases: Array<[string, string]> = [
      ['صيدلية', 'صيدليه'],
      ['أحمد إبراهيم آمال ٱلله', 'احمد ابراهيم امال الله'],
      ['مستشفى', 'مستشفي'],
      ['شُكْراً جَزِيــــلاً', 'شكرا جزيلا'],
      ['رحمٰن', 'رحمن'],
      ['٠١٠٠ ۱۲۳', '0100 123'],
      ['Panadol EXTRA', 'panadol extra'],
    ];
    const folded = await inDatabase(cases.map(([input]) => input));
    cases.forEach(([input, expected], index) => {
      assert.equal(normaliseSearchText(input), expected, `TypeScript: ${input}`);
      assert.equal(folded[index], expected, `PostgreSQL: ${input}`);
    });
  });

  it('when any Arabic, digits or ASCII text is folded, then both give the same', async () => {
    const character = fc.oneof(
      fc.integer({ min: 0x0600, max: 0x06ff }).map((code) => String.fromCharCode(code)),
      fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
    );
    const samples = fc.sample(
      fc.array(character, { maxLength: 30 }).map((chars) => chars.join('')),
      500,
    );
    const folded = await inDatabase(samples);
    samples.forEach((sample, index) => assert.equal(folded[index], normaliseSearchText(sample), sample));
  });
});
