/**
 * The agents admin page (Vitest, happy-dom, Testing Library): each agent shows load against
 * capacity in the page's digits, a live-console dot and team names; a capacity typed in
 * Arabic-Indic digits is sent as a number; one that is no number is refused without a call; an
 * edit sends only what changed (email included).
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AgentOverview } from '@whatsapp-helpdesk/contract/api';
import { parseCapacity } from './agent-fields';
import { Agents } from './Agents';
import { recordFetch } from '../test-support';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const ADMIN = {
  id: '11111111-1111-4111-8111-111111111111',
  name: 'Lead',
  email: 'lead@pharmacy.test',
  role: 'admin' as const,
  sessionId: '22222222-2222-4222-8222-222222222222',
  expiresAt: '2026-11-29T00:00:00.000Z',
};
const TEAM_ID = '33333333-3333-4333-8333-333333333333';
const SARA: AgentOverview = {
  id: '44444444-4444-4444-8444-444444444444',
  name: 'سارة',
  email: 'sara@pharmacy.test',
  role: 'agent',
  availability: 'online',
  capacity: 5,
  active: true,
  openTickets: 2,
  teamIds: [TEAM_ID],
  consoleLive: true,
};

function stubApi() {
  return recordFetch((call) => {
    if (call.method === 'GET' && call.url === '/api/agents') return { json: { items: [SARA] } };
    if (call.method === 'GET' && call.url === '/api/teams') {
      return { json: [{ id: TEAM_ID, name: 'الصيادلة', memberIds: [SARA.id], categories: [] }] };
    }
    if (call.method === 'POST' && call.url === '/api/agents') return { json: SARA };
    if (call.method === 'PATCH') return { json: SARA };
    return undefined;
  });
}

describe('parseCapacity', () => {
  it('when digits are Latin, Arabic-Indic or Eastern Arabic-Indic, then it reads the number; otherwise null', () => {
    expect(parseCapacity('12')).toBe(12);
    expect(parseCapacity(' ١٢ ')).toBe(12);
    expect(parseCapacity('۷')).toBe(7);
    expect(parseCapacity('٠')).toBe(0);
    expect(parseCapacity('1001')).toBeNull();
    expect(parseCapacity('-1')).toBeNull();
    expect(parseCapacity('2.5')).toBeNull();
    expect(parseCapacity('خمسة')).toBeNull();
    expect(parseCapacity('')).toBeNull();
  });
});

describe('Agents', () => {
  it('when the page loads, then each agent shows load of capacity in Arabic digits, the live dot and teams', async () => {
    stubApi();
    render(<Agents agent={ADMIN} />);
    const row = await screen.findByText('سارة');
    const item = row.closest('li')!;
    expect(item.querySelector('[data-testid=agent-load]')!.textContent).toContain('٢ من ٥');
    expect(item.querySelector('.live-dot.live')!.getAttribute('aria-label')).toBe('لوحة التحكم مفتوحة الآن');
    expect(item.querySelector('.agent-teams')!.textContent).toBe('الصيادلة');
  });

  it('when a new agent is added with capacity "٣", then the API gets 3; "abc" is refused without a call', async () => {
    const calls = stubApi();
    const { container } = render(<Agents agent={ADMIN} />);
    await screen.findByText('سارة');
    const set = (name: string, value: string) =>
      fireEvent.change(container.querySelector(`input[name=${name}]`)!, { target: { value } });
    set('agent-name', 'Omar');
    set('agent-email', 'omar@pharmacy.test');
    set('agent-password', 'omar-password-1');
    set('agent-capacity', 'abc');
    fireEvent.submit(container.querySelector('[data-testid=agent-new]')!);
    expect(screen.getByRole('alert').textContent).toBe('السعة عدد صحيح من ٠ إلى ١٠٠٠');
    expect(calls.filter((call) => call.method === 'POST')).toEqual([]);

    set('agent-capacity', '٣');
    fireEvent.submit(container.querySelector('[data-testid=agent-new]')!);
    await waitFor(() => expect(calls.some((call) => call.method === 'POST')).toBe(true));
    expect(calls.find((call) => call.method === 'POST')!.body).toEqual({
      name: 'Omar',
      email: 'omar@pharmacy.test',
      role: 'agent',
      capacity: 3,
      password: 'omar-password-1',
    });
  });

  it('when an edit changes only the email, then PATCH sends only the email', async () => {
    const calls = stubApi();
    const { container } = render(<Agents agent={ADMIN} />);
    await screen.findByText('سارة');
    fireEvent.click(container.querySelector('[data-action=edit-agent]')!);
    fireEvent.change(container.querySelector('input[name=edit-email]')!, {
      target: { value: 'sara.new@pharmacy.test' },
    });
    fireEvent.submit(container.querySelector('form.agent-edit')!);
    await waitFor(() => expect(calls.some((call) => call.method === 'PATCH')).toBe(true));
    const patch = calls.find((call) => call.method === 'PATCH')!;
    expect(patch.url).toBe(`/api/agents/${SARA.id}`);
    expect(patch.body).toEqual({ email: 'sara.new@pharmacy.test' });
  });
});
