/**
 * Pure normalisation both services apply to what WhatsApp hands them, so a customer's message is
 * never lost to storage limits: text (text.ts) and vCards (vcard.ts); and the folding of search
 * text, so Arabic spelling variants match (search-text.ts); and the reading of shared contacts
 * (contacts.ts). The vCard parser that uses ical.js (vcard-contacts.ts) has its own entry,
 * `@whatsapp-helpdesk/contract/normalise/vcard-contacts`, so the console's bundle does not carry ical.js.
 */
export { cleanString, truncate, truncateFilename } from './text';
export { stripVcardBinaries } from './vcard';
export { normaliseSearchText } from './search-text';
export { contactsPreview, parseContacts, type ContactCardData } from './contacts';
