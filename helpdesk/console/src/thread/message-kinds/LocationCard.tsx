/**
 * A shared location: "live location" when it is one, the place's name and address, the
 * coordinates (in the console's digits, left to right) and a link to OpenStreetMap with a marker;
 * the link the customer's phone sent with it, when it is a web address.
 */
import { useI18n } from '../../i18n';
import { openStreetMapUrl } from '../media/parse-location';
import { formatCoordinate } from '../format';
import type { LocationPart } from './fields';

export function LocationCard({ location }: { location: LocationPart }) {
  const { t, language } = useI18n();
  const link = location.url && /^https?:\/\//i.test(location.url) ? location.url : null;
  return (
    <div className={`location-card${location.live ? ' live' : ''}`}>
      <span className="pin-icon" aria-hidden="true" />
      <div>
        <strong>{t.location}</strong>
        {location.live && (
          <>
            {' '}
            <span className="live-badge">{t.locationLive}</span>
          </>
        )}
        {location.name && (
          <p className="place place-name" dir="auto">
            {location.name}
          </p>
        )}
        {location.address && (
          <p className="place place-address" dir="auto">
            {location.address}
          </p>
        )}
        <p className="coordinates muted small">
          <span>{t.locationCoordinates}: </span>
          <bdi dir="ltr">
            {formatCoordinate(language, location.latitude)}, {formatCoordinate(language, location.longitude)}
          </bdi>
        </p>
        <a href={openStreetMapUrl(location)} target="_blank" rel="noopener noreferrer" className="map-link">
          {t.openMap}
        </a>
        {link && (
          <>
            {' · '}
            <a href={link} target="_blank" rel="noopener noreferrer" className="location-url">
              {t.locationLink}
            </a>
          </>
        )}
      </div>
    </div>
  );
}
