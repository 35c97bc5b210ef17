/**
 * Work started now and awaited later (git running while the CPU renders): a failure is held
 * until the caller awaits it, rather than reported as an unhandled rejection in between.
 */
export function started<T>(promise: Promise<T>): () => Promise<T> {
  promise.catch(() => undefined);
  return () => promise;
}
