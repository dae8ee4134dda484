/**
 * The top of an admin page: its hint, the "admins only" line for anyone else, the last error
 * (an alert) and the last notice (a status), in the console's language.
 */
import type { SessionAgent } from '../../api';
import { useI18n } from '../../i18n';

/**
 * @param hint what the page is for (already translated); `agent` the signed-in agent;
 *   `error` and `notice` the messages to show (null: none).
 */
export function AdminNotices({
  hint,
  agent,
  error,
  notice = null,
}: {
  hint: string;
  agent: SessionAgent;
  error: string | null;
  notice?: string | null;
}) {
  const { t } = useI18n();
  return (
    <>
      <p className="muted">{hint}</p>
      {agent.role !== 'admin' && <p className="error">{t.error_forbidden}</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
    </>
  );
}
