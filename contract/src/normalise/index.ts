/**
 * Pure normalisation both services apply to what WhatsApp hands them, so a customer's message is
 * never lost to storage limits: text (text.ts) and vCards (vcard.ts).
 */
export { cleanString, truncate, truncateFilename } from './text';
export { stripVcardBinaries } from './vcard';
