/**
 * The service menu as data. Drivers render it: a numbered text on WPPConnect, an interactive list
 * on the Cloud API.
 */
import type { BotTexts, Language } from './bot-texts';

export interface MenuOption {
  /** Stable id, stored as the ticket's category when chosen. */
  id: string;
  title: string;
  description?: string;
}

export interface Menu {
  /** The text above the options. */
  body: string;
  /** The label of the button that opens an interactive list. */
  buttonText: string;
  options: MenuOption[];
}

/** Builds the menu in one language. */
export function buildMenu(texts: BotTexts, language: Language, intro?: string): Menu {
  return {
    body: intro ? `${intro}\n${texts.menuIntro[language]}` : texts.menuIntro[language],
    buttonText: texts.menuButton[language],
    options: texts.menu.map((option) => ({
      id: option.id,
      title: option.title[language],
      ...(option.description?.[language] ? { description: option.description[language] } : {}),
    })),
  };
}

/** The menu as numbered text ("1. Prescription refill"), as WPPConnect sends it and as agents read it. */
export function renderMenuAsText(menu: Menu): string {
  const lines = menu.options.map((option, index) => `${index + 1}. ${option.title}`);
  return `${menu.body}\n\n${lines.join('\n')}`;
}
