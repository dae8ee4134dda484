-- Message search reads only customers' and agents' messages (store/search.ts), so its trigram
-- index holds only theirs. With bot and system messages in it, a word only the bot writes (its
-- menu: "التوصيل") gave tens of thousands of candidates that were all fetched and then dropped
-- for their author, and PostgreSQL, expecting as many matches, preferred walking every message
-- newest first (52 s on a year of data). The bot's messages, a share of every inbound
-- conversation, also stop paying a trigram index entry each. Rebuilding it reads every message
-- once: about two minutes for 2,000,000 messages on two cores, during which messages cannot be
-- written (inbound events wait in their queue, nothing is lost).
DROP INDEX "messages_search_trgm_idx";
CREATE INDEX "messages_search_trgm_idx" ON "messages"
  USING gin (message_search_text("text", "caption") gin_trgm_ops)
  WHERE "author" IN ('customer', 'agent');
