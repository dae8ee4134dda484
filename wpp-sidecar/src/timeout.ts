/**
 * `promise`, or a rejection `no answer from <what> within <ms> ms` once `ms` milliseconds pass (the
 * promise itself keeps running; its later rejection is handled by the race).
 * @param ms - the bound (ms).
 * @param what - what did not answer, for the error's message (e.g. "the outbox").
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from ${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
