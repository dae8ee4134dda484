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

-- 2. Customers by name and by part of a phone: their folded name and their phone in a table of
-- their own, customer_search, with a trigram index on each, instead of folding every customer's
-- name at every search (half a second on 100,000 customers) and reading every phone. Not in
-- customers itself: the inbound path updates its customer's row at every message
-- (last_inbound_at), and whenever that update cannot stay on its page, PostgreSQL writes an entry
-- in every index of the table, trigram ones included (npm run bench measured PostgreSQL's CPU per
-- message from 1.2 to 2.6-3.4 ms with the indexes on customers). Here a customer's row is written
-- only when a customer is created or their name or phone changes, by the triggers below, whichever
-- path writes customers. fillfactor 90 leaves room on customers' pages for those updates.
ALTER TABLE "customers" SET (fillfactor = 90);
CREATE TABLE "customer_search" (
  "customer_id" UUID NOT NULL PRIMARY KEY REFERENCES "customers" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "name" TEXT,
  "phone" TEXT
);
INSERT INTO "customer_search" ("customer_id", "name", "phone")
  SELECT "id", search_normalise("name"), "phone" FROM "customers";
CREATE INDEX "customer_search_name_trgm_idx" ON "customer_search" USING gin ("name" gin_trgm_ops);
CREATE INDEX "customer_search_phone_trgm_idx" ON "customer_search" USING gin ("phone" gin_trgm_ops);
CREATE FUNCTION customer_search_sync() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  INSERT INTO customer_search (customer_id, name, phone)
  VALUES (NEW.id, search_normalise(NEW.name), NEW.phone)
  ON CONFLICT (customer_id) DO UPDATE SET name = EXCLUDED.name, phone = EXCLUDED.phone\073
  RETURN NULL\073
END ';
CREATE TRIGGER customer_search_insert AFTER INSERT ON "customers"
  FOR EACH ROW EXECUTE FUNCTION customer_search_sync();
CREATE TRIGGER customer_search_update AFTER UPDATE OF "name", "phone" ON "customers"
  FOR EACH ROW WHEN (OLD."name" IS DISTINCT FROM NEW."name" OR OLD."phone" IS DISTINCT FROM NEW."phone")
  EXECUTE FUNCTION customer_search_sync();
