/**
 * Loads the bot's texts (defaults, or BOT_TEXTS_FILE) into the settings the bot rules take.
 */
import { readFileSync } from 'node:fs';
import type { Config } from '../config';
import { ConfigError } from '../config';
import { botTextsSchema, DEFAULT_BOT_TEXTS } from '../domain/bot-texts';
import type { BotSettings } from '../domain/bot';

/** @throws ConfigError when BOT_TEXTS_FILE cannot be read or does not match the texts' shape. */
export function loadBotSettings(config: Config): BotSettings {
  let texts = DEFAULT_BOT_TEXTS;
  if (config.bot.textsFile) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(config.bot.textsFile, 'utf8'));
    } catch (error) {
      throw new ConfigError([`BOT_TEXTS_FILE cannot be read as JSON: ${(error as Error).message}`]);
    }
    const parsed = botTextsSchema.partial().safeParse(json);
    if (!parsed.success) {
      throw new ConfigError(
        parsed.error.issues.map((issue) => `BOT_TEXTS_FILE ${issue.path.join('.')}: ${issue.message}`),
      );
    }
    texts = { ...DEFAULT_BOT_TEXTS, ...parsed.data };
  }
  return {
    texts,
    language: config.bot.language,
    menuMaxAttempts: config.bot.menuMaxAttempts,
    welcomeAfterSilenceMs: config.bot.welcomeAfterSilenceMs,
  };
}
