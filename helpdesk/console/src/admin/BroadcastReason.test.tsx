/**
 * A broadcast recipient's reason (Vitest, happy-dom, Testing Library): each code the server can
 * record shows its own words in Arabic and in English, never the code itself, and a provider's
 * message stays beneath it, left to right, as the provider wrote it.
 */
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { BROADCAST_RECIPIENT_REASONS } from '@whatsapp-helpdesk/contract/api';
import { makeI18n } from '../i18n';
import { BroadcastReason, reasonText } from './BroadcastReason';

afterEach(cleanup);

describe('broadcast recipient reasons', () => {
  it('when a template send was refused by Meta, then the reason shows in Arabic with the Meta message kept', () => {
    const { t } = makeI18n('ar');
    render(
      <BroadcastReason
        t={t}
        recipient={{
          reason: 'template_missing',
          reasonDetail: 'Cloud API error 132001: (#132001) Template name does not exist in the translation',
        }}
      />,
    );
    expect(screen.getByText('القالب غير موجود بهذه اللغة أو لم يُعتمد بعد (زامن القوالب)')).toBeTruthy();
    const detail = screen.getByText(/Cloud API error 132001/);
    expect(detail.tagName).toBe('BDI');
    expect(detail.getAttribute('dir')).toBe('ltr');
  });

  it('when the console is in English, then the same reasons show in English, without a detail when none came', () => {
    const { t } = makeI18n('en');
    const { container } = render(
      <>
        <BroadcastReason t={t} recipient={{ reason: 'opted_out', reasonDetail: null }} />
        <BroadcastReason
          t={t}
          recipient={{ reason: 'outside_customer_service_window', reasonDetail: null }}
        />
        <BroadcastReason t={t} recipient={{ reason: null, reasonDetail: null }} />
      </>,
    );
    expect(screen.getByText('Opted out')).toBeTruthy();
    expect(screen.getByText(/^Outside the 24-hour window/)).toBeTruthy();
    expect(container.querySelectorAll('.broadcast-reason')).toHaveLength(2);
    expect(container.querySelector('.reason-detail')).toBeNull();
  });

  it('gives every reason the server can record its own Arabic and English words', () => {
    const ar = makeI18n('ar').t;
    const en = makeI18n('en').t;
    for (const reason of BROADCAST_RECIPIENT_REASONS) {
      const arabic = reasonText(ar, reason);
      const english = reasonText(en, reason);
      expect(arabic, reason).toMatch(/[\u0600-\u06FF]/);
      expect(english, reason).toMatch(/^[A-Z]/);
      expect(arabic).not.toBe(english);
    }
    const texts = BROADCAST_RECIPIENT_REASONS.map((reason) => reasonText(en, reason));
    expect(new Set(texts).size).toBe(texts.length);
  });
});
