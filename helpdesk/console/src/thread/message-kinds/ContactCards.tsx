/**
 * Shared contacts as cards: the name, the organisation and each phone number (a `tel:` link, left
 * to right as written) with "Open as customer" — the number is looked up with `GET /api/search`
 * (any written form matches) and the customer's best ticket opens; the card says when nobody has
 * that number or another agent has the ticket — and "Copy" (the WhatsApp number when the vCard
 * names it, else the number as written).
 */
import { useState } from 'react';
import { api } from '../../api';
import { useI18n } from '../../i18n';
import { errorText } from '../../shell/error-text';
import { telHref } from '../media/parse-contact';
import type { ContactPart, ContactPhonePart } from './fields';
import { useThreadLinks } from './thread-links';

/** The number to look up and copy: `+` and the WhatsApp digits when known, else as written. */
export function dialNumber(phone: ContactPhonePart): string {
  if (phone.waId && /^\d{6,15}$/.test(phone.waId)) return `+${phone.waId}`;
  return phone.number.trim();
}

export function ContactCards({ cards }: { cards: ContactPart[] }) {
  return (
    <ul className="contact-cards">
      {cards.map((card, index) => (
        <ContactCard key={index} card={card} />
      ))}
    </ul>
  );
}

function ContactCard({ card }: { card: ContactPart }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { openTicket } = useThreadLinks();
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const name = card.name ?? t.contact;

  async function openAsCustomer(phone: ContactPhonePart) {
    const number = dialNumber(phone);
    setBusy(number);
    setStatus({ text: t.contactSearching, error: false });
    try {
      const { items } = await api.search(number, 10);
      const hits = items.filter((hit) => hit.matchedIn === 'phone');
      const openable = hits.find((hit) => hit.openable);
      if (openable) {
        setStatus(null);
        openTicket(openable.ticket.id);
      } else {
        setStatus({ text: hits.length > 0 ? t.contactWithOtherAgent : t.contactNoCustomer, error: false });
      }
    } catch (caught) {
      setStatus({ text: errorText(caught, i18n), error: true });
    } finally {
      setBusy(null);
    }
  }

  async function copy(phone: ContactPhonePart) {
    try {
      await navigator.clipboard.writeText(dialNumber(phone));
      setStatus({ text: t.contactCopied, error: false });
    } catch {
      setStatus({ text: t.contactCopyFailed, error: true });
    }
  }

  return (
    <li className="contact-card">
      <span className="person-icon" aria-hidden="true" />
      <div className="contact-body">
        <bdi className="contact-name">{name}</bdi>
        {card.org && (
          <p className="contact-org muted small" dir="auto">
            {card.org}
          </p>
        )}
        {card.phones.length === 0 ? (
          <p className="muted small">{t.noPhone}</p>
        ) : (
          <ul className="contact-phones">
            {card.phones.map((phone, index) => (
              <li key={`${phone.number}-${index}`} className="contact-phone">
                <a href={telHref(phone.number)} dir="ltr">
                  {phone.number}
                </a>
                <span className="contact-actions">
                  <button
                    type="button"
                    className="link"
                    data-action="open-customer"
                    disabled={busy !== null}
                    onClick={() => void openAsCustomer(phone)}
                  >
                    {t.contactOpenAsCustomer}
                  </button>
                  <button
                    type="button"
                    className="link"
                    data-action="copy-phone"
                    onClick={() => void copy(phone)}
                  >
                    {t.contactCopy}
                  </button>
                </span>
              </li>
            ))}
          </ul>
        )}
        <p className={`contact-status small${status?.error ? ' error' : ' muted'}`} role="status">
          {status?.text}
        </p>
      </div>
    </li>
  );
}
