import { setTimeout as sleep } from 'node:timers/promises';
import { BotRefusal } from '../bot-error.js';

/**
 * The rounds running now, so that a shutdown can let them finish, and after a grace period
 * stop them (the engine drops a cancelled round: nothing is half-saved, and the member is told
 * to click again).
 */
export class RoundTracker {
  private readonly running = new Map<Promise<unknown>, AbortController>();
  private closing = false;

  async track<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.closing) throw new BotRefusal('Mirage is restarting; try again in a minute.');
    const controller = new AbortController();
    const promise = work(controller.signal);
    this.running.set(promise, controller);
    try {
      return await promise;
    } finally {
      this.running.delete(promise);
    }
  }

  get size(): number {
    return this.running.size;
  }

  /** Refuses new rounds, waits up to graceMs for the running ones, then cancels the rest. */
  async drain(graceMs: number): Promise<{ finished: number; cancelled: number }> {
    this.closing = true;
    const pending = [...this.running.keys()];
    const settled = Promise.allSettled(pending);
    // An unref'd timer: once every round is done, nothing waits for the rest of the grace period.
    const inTime = await Promise.race([settled.then(() => true), sleep(graceMs, false, { ref: false })]);
    if (inTime) return { finished: pending.length, cancelled: 0 };
    const left = [...this.running.values()];
    for (const controller of left) controller.abort(new DOMException('Mirage is shutting down.', 'AbortError'));
    await settled;
    return { finished: pending.length - left.length, cancelled: left.length };
  }
}
