/**
 * The console thread's pure readers: a shared contact (vCards from WPPConnect, "Name: phones" lines
 * from the Cloud API driver), a shared location (the text plan-message.ts writes) and the snooze
 * picker's times, and the image viewer's geometry.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseContacts, telHref } from '../../console/src/thread/media/parse-contact';
import { openStreetMapUrl, parseLocation } from '../../console/src/thread/media/parse-location';
import { viewerLayout } from '../../console/src/thread/media/viewer-layout';
import { fromLocalInputValue, snoozeTime, toLocalInputValue } from '../../console/src/thread/snooze-times';

describe('shared contacts', () => {
  it('when a vCard has FN and grouped, folded TEL lines, then the name and every phone are read', () => {
    const vcard = [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'N:سامي;د.;;;',
      'FN:د. سامي',
      'item1.TEL;waid=201112223334:+20 111 222 3334',
      'item1.X-ABLabel:Mobile',
      'TEL;TYPE=WORK:+20 2 2345',
      ' 6789',
      'END:VCARD',
    ].join('\r\n');
    assert.deepEqual(parseContacts(vcard), [
      { name: 'د. سامي', phones: ['+20 111 222 3334', '+20 2 23456789'] },
    ]);
  });

  it('when several vCards come together, then each is its own card (N when there is no FN)', () => {
    const text =
      'BEGIN:VCARD\nVERSION:3.0\nFN:Mona\nTEL:+201000000001\nEND:VCARD\n' +
      'BEGIN:VCARD\nVERSION:3.0\nN:Hassan;Omar;;;\nEND:VCARD';
    assert.deepEqual(parseContacts(text), [
      { name: 'Mona', phones: ['+201000000001'] },
      { name: 'Omar Hassan', phones: [] },
    ]);
  });

  it('when the Cloud API driver wrote "Name: phones" lines, then they are read as cards', () => {
    assert.deepEqual(parseContacts('Dr: Ali: +201000000002, +201000000003\nContact'), [
      { name: 'Dr: Ali', phones: ['+201000000002', '+201000000003'] },
      { name: 'Contact', phones: [] },
    ]);
    assert.deepEqual(parseContacts(null), []);
    assert.deepEqual(parseContacts('  '), []);
  });

  it('when a phone has spaces, dashes or Arabic-Indic digits, then its tel: link has digits only', () => {
    assert.equal(telHref('+20 (111) 222-3334'), 'tel:+201112223334');
    assert.equal(telHref('٠١٠٠ ١٢٣ ٤٥٦٧'), 'tel:01001234567');
  });
});

describe('shared locations', () => {
  it('when the text has a place and coordinates, then both are read and the map link marks them', () => {
    const location = parseLocation('صيدلية النور, شارع التحرير (30.0444, 31.2357)');
    assert.deepEqual(location, {
      latitude: 30.0444,
      longitude: 31.2357,
      place: 'صيدلية النور, شارع التحرير',
    });
    assert.equal(
      openStreetMapUrl(location!),
      'https://www.openstreetmap.org/?mlat=30.0444&mlon=31.2357#map=17/30.0444/31.2357',
    );
  });

  it('when there are only coordinates, or none in range, then the place is null or nothing is read', () => {
    assert.deepEqual(parseLocation('(-33.9, 18.42)'), { latitude: -33.9, longitude: 18.42, place: null });
    assert.equal(parseLocation('(95, 10)'), null);
    assert.equal(parseLocation('just text'), null);
    assert.equal(parseLocation(null), null);
  });
});

describe('snooze times', () => {
  // A fixed local time: Tuesday 2026-11-24 10:20.
  const now = new Date(2026, 10, 24, 10, 20, 0);

  it('when "later today" is picked, then it is three hours on, rounded up to the hour', () => {
    assert.equal(toLocalInputValue(snoozeTime('laterToday', now)), '2026-11-24T14:00');
    assert.equal(
      toLocalInputValue(snoozeTime('laterToday', new Date(2026, 10, 24, 10, 0))),
      '2026-11-24T13:00',
    );
  });

  it('when "tomorrow" or "next week" is picked, then it is 9:00 local time on that day', () => {
    assert.equal(toLocalInputValue(snoozeTime('tomorrow', now)), '2026-11-25T09:00');
    assert.equal(toLocalInputValue(snoozeTime('nextWeek', now)), '2026-12-01T09:00');
  });

  it('when a custom time is typed, then it becomes an ISO instant (Arabic-Indic digits too)', () => {
    const expected = new Date(2026, 11, 2, 10, 30).toISOString();
    assert.equal(fromLocalInputValue('2026-12-02T10:30'), expected);
    assert.equal(fromLocalInputValue('٢٠٢٦-١٢-٠٢T١٠:٣٠'), expected);
    assert.equal(fromLocalInputValue(''), null);
    assert.equal(fromLocalInputValue('tomorrow'), null);
  });
});

describe('image viewer geometry', () => {
  const photo = { width: 1600, height: 1200 };
  const stage = { width: 1000, height: 600 };

  it('when the photo is upright, then it fits the stage by its tighter side', () => {
    assert.deepEqual(viewerLayout(photo, stage, 0, 1), {
      image: { width: 800, height: 600 },
      box: { width: 800, height: 600 },
    });
  });

  it('when it is turned a quarter, then its sides swap for the fit and the box', () => {
    assert.deepEqual(viewerLayout(photo, stage, 90, 1), {
      image: { width: 600, height: 450 },
      box: { width: 450, height: 600 },
    });
    assert.deepEqual(viewerLayout(photo, stage, 180, 1).box, { width: 800, height: 600 });
  });

  it('when zoomed, then image and box grow by the zoom (the stage scrolls over them)', () => {
    assert.deepEqual(viewerLayout(photo, stage, 270, 2).box, { width: 900, height: 1200 });
    assert.deepEqual(viewerLayout(photo, { width: 0, height: 0 }, 0, 1).image, photo, 'no room measured yet');
  });
});
