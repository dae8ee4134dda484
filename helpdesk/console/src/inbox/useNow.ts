/** The current time, updated every `intervalMs` (for "waiting 5 min" that keeps counting). */
import { useEffect, useState } from 'react';

/** @param intervalMs how often the value changes (default 30 s). */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
