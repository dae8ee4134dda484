/**
 * What the provider told us beside the text: the forwarded and view-once markers, the media's
 * length or page count, and the customer's answer to a list, a button or an interactive message
 * (a WhatsApp Flow / `nfm_reply` form: its name, body and the fields it returned).
 */
import { useI18n } from '../../i18n';
import { formatDuration, formatNumber } from '../format';
import type { DetailsPart } from './fields';

/** "Forwarded" above the content. */
export function ForwardedMarker() {
  const { t } = useI18n();
  return (
    <p className="forwarded-marker">
      <span className="forward-icon" aria-hidden="true">
        ↪
      </span>{' '}
      {t.forwarded}
    </p>
  );
}

/**
 * "View once", and when nothing was kept (WhatsApp does not give the media to linked devices), why
 * there is nothing to open instead of a broken download.
 */
export function ViewOnceNote({ hasMedia }: { hasMedia: boolean }) {
  const { t } = useI18n();
  return (
    <div className="view-once" role="note">
      <span className="view-once-icon" aria-hidden="true">
        ①
      </span>{' '}
      <strong>{t.viewOnce}</strong>
      {!hasMedia && <p className="muted small">{t.viewOnceUnavailable}</p>}
    </div>
  );
}

const TIMED = new Set(['audio', 'voice', 'ptt', 'video']);

/** The duration of an audio, voice note or video, and a document's page count, when known. */
export function MediaFacts({ type, details }: { type: string; details: DetailsPart }) {
  const { t, language } = useI18n();
  const duration = TIMED.has(type) ? formatDuration(language, details.durationSeconds ?? null) : null;
  const pages = type === 'document' && details.pages ? formatNumber(language, details.pages) : null;
  if (!duration && !pages) return null;
  return (
    <p className="media-facts muted small">
      {duration && (
        <span className="media-duration">
          {t.duration}: <bdi dir="ltr">{duration}</bdi>
        </span>
      )}
      {pages && <span className="media-pages">{t.pagesCount.replace('{count}', pages)}</span>}
    </p>
  );
}

/** The row the customer chose in a list, or the button they pressed. */
export function ChoiceReply({ details }: { details: DetailsPart }) {
  const { t } = useI18n();
  const list = details.listReply;
  const button = details.buttonReply;
  if (list && (list.title || list.description || list.id)) {
    return (
      <div className="choice-reply list-reply">
        <span className="choice-label muted small">{t.listReplyLabel}</span>
        <strong className="choice-title" dir="auto">
          {list.title ?? list.id}
        </strong>
        {list.description && (
          <p className="choice-description muted small" dir="auto">
            {list.description}
          </p>
        )}
      </div>
    );
  }
  if (button && (button.text || button.id)) {
    return (
      <div className="choice-reply button-reply">
        <span className="choice-label muted small">{t.buttonReplyLabel}</span>
        <strong className="choice-title" dir="auto">
          {button.text ?? button.id}
        </strong>
      </div>
    );
  }
  return null;
}

/** The text a choice shows, to leave out the same words as the message's text. */
export function choiceText(details: DetailsPart | null): string | null {
  return details?.listReply?.title ?? details?.buttonReply?.text ?? null;
}

const FORM_KINDS = new Set(['nfm_reply', 'flow']);
/** Fields that are the provider's bookkeeping, not the customer's answer. */
const HIDDEN_FIELDS = new Set(['flow_token', 'wa_flow_response_params']);
const MAX_FIELDS = 12;

/** A field's value in one line. */
function fieldValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(fieldValue).join('، ');
  return JSON.stringify(value);
}

/** The response's fields as pairs: a JSON object (or its text, as Meta sends `response_json`). */
export function responseFields(response: unknown): Array<[string, string]> {
  let value = response;
  if (typeof response === 'string') {
    try {
      value = JSON.parse(response) as unknown;
    } catch {
      return response.trim() ? [['', response]] : [];
    }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>)
    .filter(([key]) => !HIDDEN_FIELDS.has(key))
    .map(([key, field]): [string, string] => [key, fieldValue(field)])
    .filter(([, field]) => field !== '')
    .slice(0, MAX_FIELDS);
}

/** An interactive reply (a Flow / form answer): its name, body and the returned fields. */
export function InteractiveReply({ interactive }: { interactive: NonNullable<DetailsPart['interactive']> }) {
  const { t } = useI18n();
  const fields = responseFields(interactive.response);
  return (
    <div className="interactive-reply">
      <span className="choice-label muted small">
        {FORM_KINDS.has(interactive.kind) ? t.interactiveFormReply : t.interactiveReply}
      </span>
      {interactive.name && (
        <strong className="interactive-name" dir="auto">
          {interactive.name}
        </strong>
      )}
      {interactive.body && (
        <p className="interactive-body" dir="auto">
          {interactive.body}
        </p>
      )}
      {fields.length > 0 && (
        <dl className="interactive-fields">
          {fields.map(([key, value], index) => (
            <div key={`${key}-${index}`}>
              {key && (
                <dt>
                  <bdi dir="auto">{key}</bdi>
                </dt>
              )}
              <dd dir="auto">{value}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}
