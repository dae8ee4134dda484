/**
 * The customer's reactions on the message they react to: one chip per emoji (with a count when
 * the same emoji came more than once), the time in the chip's title.
 */
import { useI18n } from '../../i18n';
import { formatNumber } from '../format';
import type { ReactionPart } from './fields';

export function Reactions({ reactions }: { reactions: ReactionPart[] }) {
  const { t, language, formatTime } = useI18n();
  const groups = new Map<string, ReactionPart[]>();
  for (const reaction of reactions) {
    if (!reaction.emoji) continue;
    groups.set(reaction.emoji, [...(groups.get(reaction.emoji) ?? []), reaction]);
  }
  if (groups.size === 0) return null;
  return (
    <ul className="reactions" aria-label={t.reactionsLabel}>
      {[...groups].map(([emoji, list]) => {
        const last = list[list.length - 1]!;
        return (
          <li key={emoji} className="reaction" title={`${t.reacted} ${emoji} · ${formatTime(last.at)}`}>
            <span className="emoji">{emoji}</span>
            {list.length > 1 && <span className="count">{formatNumber(language, list.length)}</span>}
          </li>
        );
      })}
    </ul>
  );
}
