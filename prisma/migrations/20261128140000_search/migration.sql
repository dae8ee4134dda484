-- Search everywhere (GET /api/search): message text and customer names matched by trigrams
-- (pg_trgm) on a folded form of the text, so Arabic spelling variants match and Latin ignores case.
-- Prisma's schema language cannot express expression indexes: they live here only.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The folding, kept in step with contract/src/normalise/search-text.ts (normaliseSearchText):
-- alef forms (أ U+0623, إ U+0625, آ U+0622, ٱ U+0671) → ا U+0627, taa marbuta ة U+0629 → ه U+0647,
-- alef maqsura ى U+0649 → ي U+064A, Arabic-Indic (U+0660–0669) and Persian (U+06F0–06F9) digits →
-- 0-9, harakat and tanween (U+064B–U+0652), superscript alef (U+0670) and tatweel (U+0640) removed
-- (translate drops the characters of its second argument that have no counterpart in the third),
-- then lower case. IMMUTABLE (translate and lower are), so indexes may use it, the queries call it
-- the same way.
CREATE FUNCTION search_normalise(value text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN lower(translate(
    value,
    U&'\0623\0625\0622\0671\0629\0649'
      || U&'\0660\0661\0662\0663\0664\0665\0666\0667\0668\0669'
      || U&'\06F0\06F1\06F2\06F3\06F4\06F5\06F6\06F7\06F8\06F9'
      || U&'\064B\064C\064D\064E\064F\0650\0651\0652\0670\0640',
    U&'\0627\0627\0627\0627\0647\064A' || '0123456789' || '0123456789'
  ));

-- A message's searchable text: its text and its caption, either of which may be null.
CREATE FUNCTION message_search_text(text text, caption text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN search_normalise(coalesce(text || ' ' || caption, text, caption));

CREATE INDEX "messages_search_trgm_idx" ON "messages"
  USING gin (message_search_text("text", "caption") gin_trgm_ops);

-- No trigram index on customers' names and phones: every inbound message updates its customer's
-- row, and with those two GIN indexes npm run bench measured PostgreSQL's CPU per message doubled
-- (0.59 to 1.55 ms) and ingest down from 937 to 537 msg/s. Names and phones are matched by a scan
-- of customers instead, one row per person, far fewer than messages.
