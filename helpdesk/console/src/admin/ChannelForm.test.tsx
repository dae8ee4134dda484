/**
 * The "WhatsApp numbers" form on its own (Vitest, happy-dom, Testing Library): nothing is sent
 * while a required field is empty or malformed (each problem is shown under its field, the field
 * marked invalid and focused); the WPPConnect body is exactly the API's; Cloud API ids typed with
 * Arabic-Indic digits go out with latin digits; the API's 400 marks the field it names; the edit
 * form sends secrets only when they are typed again. In Arabic nothing English is shown.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChannelView } from '../channel-types';
import { I18nContext, makeI18n, type Language } from '../i18n';
import { emptyForm, formFromChannel, latinDigits, validateChannelForm } from './channel-form';
import { ChannelFormView } from './Channels';

interface Call {
  method: string;
  url: string;
  body: unknown;
}

const SAVED: ChannelView = {
  id: '11111111-1111-4111-8111-111111111111',
  name: 'فرع مدينة نصر',
  provider: 'wppconnect',
  key: 'branch-2',
  enabled: true,
  configured: false,
  teamId: null,
  overrides: { businessHours: null, businessTimeZone: null, botLanguage: null, texts: null },
  settings: { sidecarUrl: 'http://sidecar:3001', session: 'branch-2' },
  state: 'starting',
  phone: null,
  since: null,
  detail: null,
  createdAt: '2026-11-28T14:00:00.000Z',
  updatedAt: '2026-11-28T14:00:00.000Z',
};

describe('ChannelFormView', () => {
  let calls: Call[];
  let answer: { status: number; body: unknown };

  beforeEach(() => {
    calls = [];
    answer = { status: 201, body: SAVED };
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit = {}) => {
        calls.push({
          method: init.method ?? 'GET',
          url,
          body: typeof init.body === 'string' ? JSON.parse(init.body) : init.body,
        });
        return new Response(JSON.stringify(answer.body), {
          status: answer.status,
          headers: { 'content-type': 'application/json' },
        });
      }),
    );
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  function mount(language: Language, mode: 'create' | 'edit' = 'create') {
    const onSaved = vi.fn();
    render(
      <I18nContext.Provider value={makeI18n(language)}>
        <ChannelFormView
          mode={mode}
          channel={mode === 'edit' ? SAVED : undefined}
          initial={mode === 'edit' ? formFromChannel(SAVED) : emptyForm()}
          teams={[
            {
              id: '77777777-7777-4777-8777-777777777777',
              name: 'الفرع الثاني',
              memberIds: [],
              categories: [],
            },
          ]}
          onCancel={() => {}}
          onSaved={onSaved}
        />
      </I18nContext.Provider>,
    );
    return onSaved;
  }

  const field = (name: string) => document.querySelector<HTMLInputElement>(`[name="${name}"]`)!;
  const type = (name: string, value: string) => fireEvent.change(field(name), { target: { value } });
  const submit = () => fireEvent.submit(screen.getByTestId('channel-form'));
  const problem = (name: string) =>
    document.querySelector(`[data-field-error="${name}"]`)?.textContent ?? null;

  it('in Arabic: when required fields are empty or malformed, then nothing is sent and each field says why', async () => {
    mount('ar');
    type('sidecarUrl', 'sidecar:3001');
    type('session', 'Branch 2');
    submit();
    expect(problem('name')).toBe('مطلوب');
    expect(problem('sidecarUrl')).toBe('يجب أن يبدأ بـ http:// أو https://');
    expect(problem('session')).toContain('حروف لاتينية صغيرة');
    expect(problem('apiKey')).toBe('مطلوب');
    expect(problem('webhookSecret')).toBe('مطلوب');
    expect(field('name').getAttribute('aria-invalid')).toBe('true');
    expect(field('name').getAttribute('aria-describedby')).toContain('channel-name-error');
    expect(screen.getByRole('alert').textContent).toBe('صحّح الحقول المعلَّمة');
    await waitFor(() => expect(document.activeElement).toBe(field('name')));
    expect(calls).toEqual([]);
  });

  it('when a WPPConnect number is filled in, then POST /api/channels gets exactly the API body', async () => {
    const onSaved = mount('en');
    type('name', '  Nasr City branch ');
    type('sidecarUrl', 'http://sidecar:3001');
    type('session', 'branch-2');
    type('apiKey', 'sidecar-api-key-0123456789');
    type('webhookSecret', 'webhook-secret-0123456789');
    fireEvent.change(field('teamId'), { target: { value: '77777777-7777-4777-8777-777777777777' } });
    type('welcomeAr', 'أهلاً بك في فرع مدينة نصر');
    type('welcomeEn', 'Welcome to the Nasr City branch');
    submit();
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(SAVED));
    expect(calls).toEqual([
      {
        method: 'POST',
        url: '/api/channels',
        body: {
          name: 'Nasr City branch',
          provider: 'wppconnect',
          teamId: '77777777-7777-4777-8777-777777777777',
          enabled: true,
          overrides: {
            businessHours: null,
            businessTimeZone: null,
            botLanguage: null,
            texts: { welcome: { ar: 'أهلاً بك في فرع مدينة نصر', en: 'Welcome to the Nasr City branch' } },
          },
          wppconnect: {
            sidecarUrl: 'http://sidecar:3001',
            apiKey: 'sidecar-api-key-0123456789',
            webhookSecret: 'webhook-secret-0123456789',
            session: 'branch-2',
          },
        },
      },
    ]);
    expect(field('apiKey').type).toBe('password');
  });

  it('when a Cloud API number is typed with Arabic-Indic digits, then its ids go out with latin digits', async () => {
    mount('ar');
    fireEvent.click(document.querySelector<HTMLInputElement>('input[name=provider][value=cloud]')!);
    type('name', 'الرقم الرسمي');
    type('phoneNumberId', '١٠٦٥٤٠٣٥٢٢٤٢٩٢٢');
    type('businessAccountId', '۱۰۲۲۹۰۱۲۹۳۴۰۳۹۸');
    type('accessToken', 'EAAG-system-user-token-0123');
    type('appSecret', 'app-secret-0123456789');
    type('verifyToken', 'verify-me-0123456789');
    submit();
    await waitFor(() => expect(calls).toHaveLength(1));
    const body = calls[0]!.body as { provider: string; cloud: Record<string, string> };
    expect(body.provider).toBe('cloud');
    expect(body.cloud).toEqual({
      phoneNumberId: '106540352242922',
      businessAccountId: '102290129340398',
      accessToken: 'EAAG-system-user-token-0123',
      appSecret: 'app-secret-0123456789',
      verifyToken: 'verify-me-0123456789',
      graphVersion: 'v23.0',
      baseUrl: 'https://graph.facebook.com',
    });
  });

  for (const language of ['en', 'ar'] as const) {
    it(`in ${language}: when the API answers 400 naming a field, then that field is marked with the problem`, async () => {
      answer = {
        status: 400,
        body: {
          error: 'validation_failed',
          message: 'wppconnect.sidecarUrl: the sidecar did not answer',
          details: { fields: [{ field: 'wppconnect.sidecarUrl', problem: 'the sidecar did not answer' }] },
        },
      };
      const onSaved = mount(language);
      type('name', 'Branch');
      type('sidecarUrl', 'http://nowhere:3001');
      type('session', 'branch-3');
      type('apiKey', 'sidecar-api-key-0123456789');
      type('webhookSecret', 'webhook-secret-0123456789');
      submit();
      await waitFor(() => expect(problem('sidecarUrl')).not.toBeNull());
      expect(problem('sidecarUrl')).toBe(
        language === 'en' ? 'the sidecar did not answer' : 'بعض البيانات المدخلة غير صالحة',
      );
      expect(field('sidecarUrl').getAttribute('aria-invalid')).toBe('true');
      expect(screen.getByRole('alert').textContent).toBe(
        language === 'en'
          ? 'Some of what was entered is not valid (wppconnect.sidecarUrl: the sidecar did not answer)'
          : 'بعض البيانات المدخلة غير صالحة',
      );
      expect(onSaved).not.toHaveBeenCalled();
    });
  }

  it('when editing, then the session cannot change and secrets left empty are not sent', async () => {
    answer = { status: 200, body: SAVED };
    mount('en', 'edit');
    expect(field('session').readOnly).toBe(true);
    expect(field('apiKey').value).toBe('');
    type('name', 'Nasr City');
    type('webhookSecret', 'a-new-webhook-secret');
    submit();
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]).toEqual({
      method: 'PATCH',
      url: `/api/channels/${SAVED.id}`,
      body: {
        name: 'Nasr City',
        enabled: true,
        teamId: null,
        overrides: { businessHours: null, businessTimeZone: null, botLanguage: null, texts: null },
        wppconnect: { sidecarUrl: 'http://sidecar:3001', webhookSecret: 'a-new-webhook-secret' },
      },
    });
  });

  it('validates without a screen: digits, secret lengths, Graph version, URLs and text pairs', () => {
    expect(latinDigits('٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹')).toBe('0123456789 0123456789');
    const cloud = {
      ...emptyForm('cloud'),
      name: 'x',
      phoneNumberId: '12a',
      businessAccountId: '1234',
      accessToken: 't',
      appSecret: 's'.repeat(16),
      verifyToken: 'v'.repeat(16),
      graphVersion: '23',
      baseUrl: 'ftp://graph',
    };
    expect(validateChannelForm(cloud, 'create')).toEqual({
      phoneNumberId: 'channelsBadDigits',
      businessAccountId: 'channelsBadDigits',
      accessToken: 'channelsTooShort20',
      graphVersion: 'channelsBadGraphVersion',
      baseUrl: 'channelsBadUrl',
    });
    // Editing: the saved secrets and ids stay, so they are not required.
    expect(
      validateChannelForm({ ...emptyForm('cloud'), name: 'x', businessAccountId: '12345' }, 'edit'),
    ).toEqual({});
    // Bot texts go in both languages or not at all.
    expect(
      validateChannelForm({ ...emptyForm(), name: 'x', sidecarUrl: 'http://s', welcomeAr: 'أهلاً' }, 'edit'),
    ).toEqual({
      welcomeEn: 'channelsBothLanguages',
    });
  });
});
