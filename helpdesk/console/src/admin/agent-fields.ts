/**
 * What the agents page reads from its inputs: capacity typed with Latin, Arabic-Indic (٠١٢…) or
 * Eastern Arabic-Indic (۰۱۲…) digits. Pure, so the rules are tested without a browser.
 */
import { latinDigits } from './channel-form';

/** Most tickets an agent may hold (the API's limit). */
export const CAPACITY_MAX = 1000;

/**
 * @param text what was typed, e.g. "٥" or " 12 ".
 * @returns the whole number 0–CAPACITY_MAX, or null when it is not one.
 */
export function parseCapacity(text: string): number | null {
  const latin = latinDigits(text.trim());
  if (!/^\d{1,4}$/.test(latin)) return null;
  const value = Number(latin);
  return value <= CAPACITY_MAX ? value : null;
}
