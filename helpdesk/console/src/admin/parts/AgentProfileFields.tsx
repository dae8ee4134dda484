/**
 * An agent's name, email, role and capacity as form fields, the same when an admin adds an agent
 * and when they edit one. Capacity is kept as typed (Arabic-Indic digits accepted: parseCapacity).
 */
import type { AgentOverview } from '@whatsapp-helpdesk/contract/api';
import { useI18n } from '../../i18n';

/** The fields as typed. */
export interface AgentProfileDraft {
  name: string;
  email: string;
  role: AgentOverview['role'];
  capacity: string;
}

/**
 * @param prefix the inputs' names start with it (`agent-name`, `edit-email`…); `draft` the values;
 *   `onChange` gets one field's new value; `roleLocked` disables the role (an admin's own).
 */
export function AgentProfileFields({
  prefix,
  draft,
  onChange,
  roleLocked = false,
}: {
  prefix: 'agent' | 'edit';
  draft: AgentProfileDraft;
  onChange: <Key extends keyof AgentProfileDraft>(key: Key, value: AgentProfileDraft[Key]) => void;
  roleLocked?: boolean;
}) {
  const { t } = useI18n();
  return (
    <>
      <label>
        {t.agentName}
        <input
          name={`${prefix}-name`}
          dir="auto"
          maxLength={200}
          value={draft.name}
          onChange={(e) => onChange('name', e.target.value)}
        />
      </label>
      <label>
        {t.email}
        <input
          name={`${prefix}-email`}
          type="email"
          dir="ltr"
          maxLength={320}
          value={draft.email}
          onChange={(e) => onChange('email', e.target.value)}
        />
      </label>
      <label>
        {t.agentRole}
        <select
          name={`${prefix}-role`}
          value={draft.role}
          disabled={roleLocked}
          onChange={(e) => onChange('role', e.target.value as AgentProfileDraft['role'])}
        >
          <option value="agent">{t.roleAgent}</option>
          <option value="admin">{t.roleAdmin}</option>
        </select>
      </label>
      <label>
        {t.agentCapacity}
        <input
          name={`${prefix}-capacity`}
          inputMode="numeric"
          dir="ltr"
          size={5}
          value={draft.capacity}
          onChange={(e) => onChange('capacity', e.target.value)}
        />
      </label>
    </>
  );
}
