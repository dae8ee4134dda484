/** A shared contact: each card's name and its phone numbers as tel: links. */
import { useI18n } from '../../i18n';
import { telHref, type ContactCardData } from './parse-contact';

export function ContactCards({ cards }: { cards: ContactCardData[] }) {
  const { t } = useI18n();
  return (
    <ul className="contact-cards">
      {cards.map((card, index) => (
        <li key={index} className="contact-card">
          <span className="person-icon" aria-hidden="true" />
          <div>
            <bdi className="contact-name">{card.name ?? t.contact}</bdi>
            {card.phones.length === 0 ? (
              <p className="muted small">{t.noPhone}</p>
            ) : (
              <ul className="contact-phones">
                {card.phones.map((phone) => (
                  <li key={phone}>
                    <a href={telHref(phone)} dir="ltr">
                      {phone}
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}
