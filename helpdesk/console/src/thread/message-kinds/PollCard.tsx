/**
 * A poll the customer created: the question and its options. The API gives a `poll` message's
 * text as the question on the first line and one option per line after it, each after "• " (the
 * sidecar writes it so; "- " and "1. " are read too).
 */
import { useI18n } from '../../i18n';

export interface PollData {
  /** null when only the options came. */
  question: string | null;
  options: string[];
}

const BULLET = /^(?:[-•*◦○]|\d+[.)]|[\u0660-\u0669]+[.)])\s*/;

/** The question and options of a poll message's text; null when it has no text. */
export function parsePoll(text: string | null): PollData | null {
  const lines = (text ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  if (lines.length === 0) return null;
  const question = BULLET.test(lines[0]!) ? null : lines.shift()!;
  return { question, options: lines.map((line) => line.replace(BULLET, '')).filter(Boolean) };
}

export function PollCard({ poll }: { poll: PollData }) {
  const { t } = useI18n();
  return (
    <div className="poll-card">
      <strong>{t.messageTypePoll}</strong>
      {poll.question && (
        <p className="poll-question" dir="auto">
          {poll.question}
        </p>
      )}
      {poll.options.length > 0 && (
        <ul className="poll-options" aria-label={t.pollOptions}>
          {poll.options.map((option, index) => (
            <li key={index} dir="auto">
              {option}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
