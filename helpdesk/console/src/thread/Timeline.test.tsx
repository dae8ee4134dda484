/**
 * The timeline (Vitest, happy-dom, Testing Library): consecutive photos of one album share one
 * grid (a message between them, or another album, starts a new group); a quote of a message in the
 * thread is a button that brings it into view; the `q` shortcut quotes the newest customer
 * message.
 */
import type { Message } from '@whatsapp-helpdesk/contract/api';
import { cleanup, fireEvent, render } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useShortcuts } from '../shell/useShortcuts';
import { makeMessage, makeThread } from '../test-support';
import { Timeline } from './Timeline';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const DETAILS = {
  forwarded: false,
  viewOnce: false,
  albumId: null,
  durationSeconds: null,
  width: 1080,
  height: 1440,
  pages: null,
  listReply: null,
  buttonReply: null,
  interactive: null,
};

function photo(albumId: string | null, name: string): Message {
  return makeMessage({
    type: 'image',
    text: null,
    details: { ...DETAILS, albumId },
    attachments: [
      {
        id: `cccccccc-0000-4000-8000-${name.padStart(12, '0')}`,
        mimeType: 'image/jpeg',
        size: 2048,
        filename: null,
        url: `/api/attachments/${name}`,
      },
    ],
  });
}

function mount(messages: Message[], onQuote: (message: Message) => void = () => {}) {
  return render(
    <Timeline
      thread={makeThread({ messages })}
      agents={[]}
      canReply
      onQuote={onQuote}
      onChanged={() => {}}
    />,
  ).container;
}

/** The console's keyboard shortcuts, as the shell mounts them. */
function Shortcuts() {
  useShortcuts({ move: () => {}, search: () => {}, help: () => {} });
  return null;
}

describe('Timeline', () => {
  it('when photos of one album arrive together, then they share one grid; a text between starts a new group', () => {
    const container = mount([
      photo('album-1', '1'),
      photo('album-1', '2'),
      photo('album-1', '3'),
      makeMessage({ text: 'هذه الوصفة' }),
      photo('album-1', '4'),
      photo('album-2', '5'),
      photo('album-2', '6'),
      photo(null, '7'),
    ]);
    const albums = [...container.querySelectorAll<HTMLElement>('li.album')];
    expect(albums.map((album) => album.dataset.albumId)).toEqual(['album-1', 'album-2']);
    expect(albums[0]!.querySelectorAll('.album-grid > li.message')).toHaveLength(3);
    expect(albums[0]!.querySelector('.album-grid')!.getAttribute('aria-label')).toBe('ألبوم من ٣');
    expect(albums[1]!.querySelectorAll('.album-grid > li.message')).toHaveLength(2);
    // The album names the sender once; its photos do not repeat it.
    expect(albums[0]!.querySelectorAll('.who')).toHaveLength(1);
    // The lone photo of album-1 after the text, and the photo without album, stand alone.
    expect(container.querySelectorAll('.timeline > li.message')).toHaveLength(3);
  });

  it('when a reply quotes a message of the thread, then clicking the quote brings that message into view', () => {
    const question = makeMessage({ text: 'هل يوجد بنادول؟' });
    const answer = makeMessage({
      direction: 'outbound',
      author: 'agent',
      agent: { id: 'a', name: 'منى' },
      deliveryStatus: 'delivered',
      text: 'نعم',
      quoted: {
        messageId: question.id,
        providerMessageId: 'false_201001234567@c.us_ABC',
        direction: 'inbound',
        type: 'text',
        text: 'هل يوجد بنادول؟',
      },
    });
    const outside = makeMessage({
      text: 'وأيضا',
      quoted: {
        messageId: 'dddddddd-0000-4000-8000-000000000001',
        providerMessageId: 'x',
        direction: 'inbound',
        type: 'text',
        text: 'رسالة من تذكرة سابقة',
      },
    });
    const container = mount([question, answer, outside]);
    const target = container.querySelector<HTMLElement>(`[data-message-id="${question.id}"]`)!;
    const scroll = vi.fn();
    target.scrollIntoView = scroll;

    const quote = container.querySelector<HTMLButtonElement>(
      `[data-message-id="${answer.id}"] button.quote-block`,
    )!;
    expect(quote.textContent).toContain('العميل');
    fireEvent.click(quote);
    expect(scroll).toHaveBeenCalled();
    expect(document.activeElement).toBe(target);
    expect(target.classList.contains('flash')).toBe(true);

    // A quoted message that is not in this thread is shown, not a button.
    const other = container.querySelector(`[data-message-id="${outside.id}"] .quote-block`)!;
    expect(other.tagName).toBe('DIV');
  });

  it('when q is pressed on the page, then the newest customer message that can be quoted is quoted', () => {
    const first = makeMessage({ text: 'أولى' });
    const last = makeMessage({ text: 'أخيرة' });
    const deleted = makeMessage({ text: 'محذوفة', deletedAt: '2026-11-28T10:00:00.000Z' });
    const onQuote = vi.fn();
    render(<Shortcuts />);
    const container = mount([first, last, deleted], onQuote);
    expect(container.querySelectorAll('button[data-action=quote][data-latest=true]')).toHaveLength(1);
    fireEvent.keyDown(document.body, { key: 'q' });
    expect(onQuote).toHaveBeenCalledTimes(1);
    expect(onQuote).toHaveBeenCalledWith(last);
  });
});
