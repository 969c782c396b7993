import { once } from 'node:events';
import { EventEmitter } from 'node:events';

/** A file the bot uploaded with a response. */
export interface UploadedFile {
  readonly name: string;
  readonly contentType: string;
  readonly bytes: Buffer;
}

export type InteractionResponse =
  | { readonly kind: 'callback'; readonly type: number; readonly data: Record<string, unknown> | undefined; readonly files: readonly UploadedFile[]; readonly at: number }
  | { readonly kind: 'edit'; readonly body: Record<string, unknown>; readonly files: readonly UploadedFile[]; readonly at: number }
  | { readonly kind: 'followup'; readonly body: Record<string, unknown>; readonly files: readonly UploadedFile[]; readonly messageId: string; readonly at: number };

/** Interaction callback types (the first answer to an interaction). */
export const CALLBACK = {
  reply: 4,
  deferReply: 5,
  deferUpdate: 6,
  update: 7,
  autocomplete: 8,
  modal: 9,
} as const;

/**
 * One interaction the fake Discord sent to the bot, and everything the bot answered: its
 * callback (with when it came, for the 3-second rule), edits of the original response and
 * follow-up messages. Tests wait for answers with `next`.
 */
export class FakeInteraction {
  readonly responses: InteractionResponse[] = [];
  private readonly events = new EventEmitter();

  constructor(
    readonly id: string,
    readonly token: string,
    readonly type: number,
    readonly userId: string,
    /** The message a component interaction came from (its edits are edits of that message). */
    readonly sourceMessageId: string | undefined,
    readonly dispatchedAt: number,
  ) {}

  record(response: InteractionResponse): void {
    this.responses.push(response);
    this.events.emit('response', response);
  }

  /** Milliseconds from dispatch to the callback, or undefined before it came. */
  get ackMs(): number | undefined {
    const callback = this.responses.find((r) => r.kind === 'callback');
    return callback ? callback.at - this.dispatchedAt : undefined;
  }

  get callback(): Extract<InteractionResponse, { kind: 'callback' }> | undefined {
    return this.responses.find((r): r is Extract<InteractionResponse, { kind: 'callback' }> => r.kind === 'callback');
  }

  /** The first response, already recorded or still to come, that `test` accepts. */
  async next(test: (r: InteractionResponse) => boolean, timeoutMs = 30_000, what = 'a matching response'): Promise<InteractionResponse> {
    const found = this.responses.find(test);
    if (found) return found;
    const timer = AbortSignal.timeout(timeoutMs);
    for (;;) {
      try {
        const [response] = (await once(this.events, 'response', { signal: timer })) as [InteractionResponse];
        if (test(response)) return response;
      } catch {
        const seen = this.responses.map((r) => (r.kind === 'callback' ? `callback ${r.type}` : r.kind)).join(', ') || 'nothing';
        throw new Error(`Interaction ${this.id}: no ${what} within ${timeoutMs} ms (saw: ${seen}).`);
      }
    }
  }

  /** The last body the bot sent for the original response (a callback's data or an edit). */
  latestBody(): Record<string, unknown> | undefined {
    for (let i = this.responses.length - 1; i >= 0; i--) {
      const r = this.responses[i] as InteractionResponse;
      if (r.kind === 'edit') return r.body;
      if (r.kind === 'callback' && r.data) return r.data;
    }
    return undefined;
  }
}
