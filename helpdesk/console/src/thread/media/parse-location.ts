/**
 * A shared location as the API gives it: a message of type `location` whose `text` is
 * `[name, address ](latitude, longitude)` (helpdesk/src/use-cases/inbound/plan-message.ts writes it
 * so). Pure.
 */

export interface LocationData {
  latitude: number;
  longitude: number;
  /** The place's name and address as one line, when the customer's phone sent them. */
  place: string | null;
}

const PATTERN = /^(?:([\s\S]*?)\s*)?\((-?\d{1,3}(?:\.\d+)?),\s*(-?\d{1,3}(?:\.\d+)?)\)\s*$/;

/** The location in a message's text; null when it carries no coordinates in range. */
export function parseLocation(text: string | null): LocationData | null {
  const match = text ? PATTERN.exec(text) : null;
  if (!match) return null;
  const latitude = Number(match[2]);
  const longitude = Number(match[3]);
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null;
  return { latitude, longitude, place: match[1]?.trim() || null };
}

/** OpenStreetMap with a marker at the location (zoom 17: a street). */
export function openStreetMapUrl(location: Pick<LocationData, 'latitude' | 'longitude'>): string {
  const { latitude: lat, longitude: lon } = location;
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=17/${lat}/${lon}`;
}
