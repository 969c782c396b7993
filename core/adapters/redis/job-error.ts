import { isMirageError, MirageError, type MirageErrorCode } from '../../errors.js';

/** Every code, checked by the compiler, so a code added in errors.ts cannot be lost in transit. */
const CODES: Readonly<Record<MirageErrorCode, true>> = {
  UNKNOWN_ARCHIVE: true,
  UNKNOWN_SESSION: true,
  UNKNOWN_IMAGE: true,
  INVALID_INPUT: true,
  IMAGE_REJECTED: true,
  SESSION_ENDED: true,
  NOT_SUPPORTED: true,
  ALREADY_EXISTS: true,
  CANCELLED: true,
  TIMEOUT: true,
  MODEL_ERROR: true,
};

const isCode = (text: string): text is MirageErrorCode => Object.hasOwn(CODES, text);

const ENCODED = /^\[([A-Z_]+)\] ([\s\S]*)$/;

/**
 * BullMQ keeps only an error's message (the job's failedReason), so the code travels in it as
 * "[CODE] message": still readable in a queue dashboard, and turned back into the same
 * MirageError for the caller.
 */
export function encodeJobError(error: unknown): string {
  if (isMirageError(error)) return `[${error.code}] ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

export function decodeJobError(failedReason: string): Error {
  const match = ENCODED.exec(failedReason);
  const code = match?.[1];
  if (code !== undefined && isCode(code)) return new MirageError(code, match?.[2] ?? '');
  // Not one of ours: a bug or an infrastructure failure in the worker (or BullMQ's own reason,
  // such as a job that stalled too often), after its retries.
  return new Error(`The worker failed: ${failedReason}`);
}
