/**
 * Runs a long task with an AbortSignal tied to Ctrl-C, so a world build stops between batches
 * and leaves the store consistent instead of dying mid-write.
 */
export async function withInterrupt<T>(task: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = () => controller.abort(new DOMException('Interrupted (Ctrl-C).', 'AbortError'));
  process.once('SIGINT', onSigint);
  try {
    return await task(controller.signal);
  } finally {
    process.off('SIGINT', onSigint);
  }
}
