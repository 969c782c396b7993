/** Discord rate-limits edits of one message; Mirage edits a reply at most this often. */
export const REPLY_EDIT_GAP_MS = 2000;
/** A round that finishes this fast shows no progress at all, only its result. */
export const FIRST_PROGRESS_DELAY_MS = 1000;

/**
 * Edits one reply at most once every `gapMs`. Progress updates replace each other while they
 * wait, so only the latest is shown; the final edit cancels what is still waiting and goes out
 * once the gap since the last edit has passed.
 */
export class ThrottledReply<T> {
  private lastSent = Number.NEGATIVE_INFINITY;
  private waiting: T | undefined;
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();
  private finished = false;
  private readonly started = Date.now();

  constructor(
    private readonly send: (payload: T) => Promise<unknown>,
    private readonly gapMs = REPLY_EDIT_GAP_MS,
    private readonly firstDelayMs = FIRST_PROGRESS_DELAY_MS,
  ) {}

  progress(payload: T): void {
    if (this.finished) return;
    this.waiting = payload;
    if (this.timer !== undefined) return;
    const at = Math.max(this.started + this.firstDelayMs, this.lastSent + this.gapMs);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const next = this.waiting;
      this.waiting = undefined;
      if (next !== undefined && !this.finished) this.sending = this.sending.then(() => this.sendProgress(next));
    }, Math.max(0, at - Date.now()));
  }

  /** Sends the last edit, after any progress edit in flight and the gap since it. */
  async final(payload: T): Promise<void> {
    this.finished = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.waiting = undefined;
    await this.sending;
    const wait = this.lastSent + this.gapMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    this.lastSent = Date.now();
    await this.send(payload);
  }

  /** A lost progress edit is harmless: the final edit follows anyway. */
  private async sendProgress(payload: T): Promise<void> {
    this.lastSent = Date.now();
    await this.send(payload).catch(() => undefined);
  }
}
