import { isMirageError, type MirageErrorCode } from '../core/errors.js';

/**
 * Something the member did or asked that Mirage refuses, said to them as it is: a button of
 * someone else's search, an expired search, a rate limit. Shown ephemerally, never logged as a
 * failure.
 */
export class BotRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BotRefusal';
  }
}

const ENGINE_MESSAGES: Partial<Record<MirageErrorCode, string>> = {
  UNKNOWN_SESSION: 'This search no longer exists (it expired or was deleted). Start a new one with /search.',
  SESSION_ENDED: 'This search has ended. Start a new one with /search.',
  UNKNOWN_ARCHIVE: 'That archive does not exist here.',
  TIMEOUT: 'Mirage could not finish this in time (its workers are busy or unreachable). Your search is unchanged: try the same button again in a minute.',
  MODEL_ERROR: 'The image model failed on this round. Your search is unchanged: try again, or Reroll.',
  CANCELLED: 'Mirage was restarting and stopped this round. Your search is unchanged: click the same button again.',
};

/** What a member is told when handling their interaction failed; undefined: an unexpected failure. */
export function refusalText(error: unknown): string | undefined {
  if (error instanceof BotRefusal) return error.message;
  if (error instanceof Error && error.name === 'AbortError') return ENGINE_MESSAGES.CANCELLED;
  if (!isMirageError(error)) return undefined;
  if (error.code === 'INVALID_INPUT' || error.code === 'UNKNOWN_IMAGE' || error.code === 'NOT_SUPPORTED') return error.message;
  return ENGINE_MESSAGES[error.code];
}

export const UNEXPECTED_TEXT = 'Something went wrong on Mirage\'s side; it has been logged. Your search is unchanged: try again in a moment.';
