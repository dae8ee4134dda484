/** A shared location: the place's name and address, the coordinates and a link to the map. */
import { useI18n } from '../../i18n';
import { openStreetMapUrl, type LocationData } from './parse-location';

export function LocationCard({ location }: { location: LocationData }) {
  const { t } = useI18n();
  return (
    <div className="location-card">
      <span className="pin-icon" aria-hidden="true" />
      <div>
        <strong>{t.location}</strong>
        {location.place && (
          <p className="place" dir="auto">
            {location.place}
          </p>
        )}
        <p className="coordinates muted small" dir="ltr">
          {location.latitude}, {location.longitude}
        </p>
        <a href={openStreetMapUrl(location)} target="_blank" rel="noopener noreferrer" className="map-link">
          {t.openMap}
        </a>
      </div>
    </div>
  );
}
