-- Search on a year of data (issue 18, BENCHMARKS.md "Search on a year of data").
--
-- 1. search_normalise gives the same text as before (contract normaliseSearchText, checked by
-- helpdesk/test/integration/search-text.test.ts) at a third of the cost: translate() compares
-- every character with each of its 36 characters, and every message the trigram index returns is
-- folded again to recheck the LIKE and to score it. Text without a multi-byte character (English)
-- is only lower-cased, byte by byte (the "C" collation lowers ASCII as every locale does). Other
-- text has its six letter variants replaced and goes through translate() only when it holds a
-- haraka, tatweel or an Arabic-Indic digit. Not STRICT, so PostgreSQL still inlines it into the
-- index expressions and the queries (a null gives null all the same). Same results, so the
-- existing index on message_search_text stays valid without a rebuild.
CREATE OR REPLACE FUNCTION search_normalise(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE
    WHEN octet_length(value) = length(value) THEN lower(value COLLATE "C")
    ELSE lower(replace(replace(replace(replace(replace(replace(
      CASE WHEN value ~ U&'[\064B-\0652\0670\0640\0660-\0669\06F0-\06F9]'
        THEN translate(value,
          U&'\0660\0661\0662\0663\0664\0665\0666\0667\0668\0669'
            || U&'\06F0\06F1\06F2\06F3\06F4\06F5\06F6\06F7\06F8\06F9'
            || U&'\064B\064C\064D\064E\064F\0650\0651\0652\0670\0640',
          '0123456789' || '0123456789')
        ELSE value END,
      U&'\0623', U&'\0627'), U&'\0625', U&'\0627'), U&'\0622', U&'\0627'), U&'\0671', U&'\0627'),
      U&'\0629', U&'\0647'), U&'\0649', U&'\064A'))
  END;

-- 2. Customers by name: the folded name is stored (a generated column, so every insert and every
-- rename keeps it, whichever path writes the row) and indexed by trigrams, instead of folding
-- every customer's name at every search (half a second on 100,000 customers). The inbound path
-- updates its customer's last_inbound_at at every message but never changes the name when it is
-- the same, so the update stays HOT (no index entry at all, the GIN one included) whenever the
-- page has room, as before: nothing in this index is written for a message of a known customer
-- whose name did not change (EXPLAIN ANALYZE of the upsert in BENCHMARKS.md). The column's
-- table rewrite leaves a tenth of each page free (fillfactor 90), so that the inbound path's
-- updates find room on their page and stay HOT (a full page makes a new tuple elsewhere and an
-- entry in every index of the table: on a freshly seeded year, 9 HOT updates in 400).
ALTER TABLE "customers" SET (fillfactor = 90);
ALTER TABLE "customers" ADD COLUMN "search_name" text GENERATED ALWAYS AS (search_normalise("name")) STORED;
CREATE INDEX "customers_search_name_trgm_idx" ON "customers" USING gin ("search_name" gin_trgm_ops);

-- 3. Customers by part of a phone (its local form, its last digits): the same trigram index on
-- the phone, which the inbound path never changes (it is the upsert's conflict key), so only a
-- new customer writes to it (100,000 phones read in 60 to 120 ms before, 15 to 30 ms with it).
CREATE INDEX "customers_phone_trgm_idx" ON "customers" USING gin ("phone" gin_trgm_ops);
