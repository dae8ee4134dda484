/**
 * The message a bubble answers, WhatsApp style: who wrote it (the customer or our team), what it
 * was (type) and its text. When the quoted message is in this thread the block is a button that
 * scrolls to it; otherwise it only shows what the provider told us.
 */
import { useI18n } from '../../i18n';
import type { QuotedPart } from './fields';
import { typeWords } from './summary';
import { scrollToMessage, useThreadLinks } from './thread-links';

export function QuoteBlock({ quoted }: { quoted: QuotedPart }) {
  const { t } = useI18n();
  const { hasMessage } = useThreadLinks();
  const author =
    quoted.direction === 'inbound'
      ? t.quoteFromCustomer
      : quoted.direction === 'outbound'
        ? t.quoteFromUs
        : t.quoteFromUnknown;
  const kind = quoted.type && quoted.type !== 'text' ? typeWords(t, quoted.type) : null;
  const content = (
    <>
      <span className={`quote-author ${quoted.direction ?? 'unknown'}`}>
        <bdi>{author}</bdi>
        {kind && (
          <>
            {' · '}
            <span className="quote-type">{kind}</span>
          </>
        )}
      </span>
      {quoted.text && (
        <bdi className="quote-text" dir="auto">
          {quoted.text}
        </bdi>
      )}
      {!quoted.text && !kind && <span className="quote-text muted">{t.messageTypeUnknown}</span>}
    </>
  );
  const target = quoted.messageId && hasMessage(quoted.messageId) ? quoted.messageId : null;
  if (target) {
    return (
      <button
        type="button"
        className="quote-block"
        data-quoted-id={target}
        title={t.quoteGoTo}
        onClick={() => scrollToMessage(target)}
      >
        {content}
      </button>
    );
  }
  return (
    <div className="quote-block" title={quoted.messageId ? t.quoteNotInThread : undefined}>
      {content}
    </div>
  );
}
