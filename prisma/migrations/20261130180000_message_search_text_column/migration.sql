-- Message search compares the folded text of each candidate message (message_search_text: text and
-- caption through search_normalise) with the words: the LIKE is rechecked on every message the
-- trigram index or the recent window returns, and the word similarity ranks them. Folded at every
-- search, that was about 93 % of the time of a search: 12,000 messages filtered in 58 ms when
-- folded on the fly against 4 ms when stored (store/search.ts, BENCHMARKS.md of 2026-11-30, evening).
-- The folded text is now stored once, when a message is written or edited, in a generated column
-- (only for messages of customers and agents, the ones search reads, NULL for the bot and the
-- system), and the trigram index is built on it instead of on the expression. Inserts folded the
-- text already, for the index entry: they now also keep it, about 45 bytes a message.
--
-- Adding a stored generated column rewrites the table, and the index is rebuilt: a few minutes for
-- 2,000,000 messages on two cores, during which messages cannot be written (inbound events wait in
-- their queue, nothing is lost).
ALTER TABLE "messages" ADD COLUMN "search_text" TEXT GENERATED ALWAYS AS (
  CASE WHEN "author" IN ('customer', 'agent') THEN message_search_text("text", "caption") END
) STORED;
DROP INDEX "messages_search_trgm_idx";
CREATE INDEX "messages_search_trgm_idx" ON "messages"
  USING gin ("search_text" gin_trgm_ops)
  WHERE "author" IN ('customer', 'agent');
