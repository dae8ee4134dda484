/** Whether the window is phone-narrow (the thread and the customer panel then take turns). */
import { useEffect, useState } from 'react';

/** Matches thread.css's phone layout. */
export const PHONE_QUERY = '(max-width: 760px)';

export function useIsPhone(): boolean {
  const [phone, setPhone] = useState(() => window.matchMedia(PHONE_QUERY).matches);
  useEffect(() => {
    const query = window.matchMedia(PHONE_QUERY);
    const onChange = () => setPhone(query.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
  return phone;
}
