/** Signals that ask a command to stop: Ctrl-C, and what `docker stop` and process managers send. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Runs a long task with an AbortSignal tied to Ctrl-C and SIGTERM, so a world build stops
 * between batches and leaves the store consistent instead of dying mid-write. Handling SIGTERM
 * also matters when the process is PID 1 in a container: there a signal nobody handles is
 * ignored, and the process is killed only after the grace period.
 */
export async function withInterrupt<T>(task: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) =>
    controller.abort(new DOMException(name === 'SIGINT' ? 'Interrupted (Ctrl-C).' : `Stopped (${name}).`, 'AbortError'));
  for (const name of STOP_SIGNALS) process.once(name, onSignal);
  try {
    return await task(controller.signal);
  } finally {
    for (const name of STOP_SIGNALS) process.off(name, onSignal);
  }
}
