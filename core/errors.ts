/**
 * Every failure a caller can act on carries a stable code, so front ends (CLI, MCP, Discord,
 * queue replies) can map it to a message or status without parsing text.
 */
export type MirageErrorCode =
  | 'UNKNOWN_ARCHIVE'
  | 'UNKNOWN_SESSION'
  | 'UNKNOWN_IMAGE'
  | 'INVALID_INPUT'
  | 'IMAGE_REJECTED'
  | 'SESSION_ENDED'
  | 'NOT_SUPPORTED'
  | 'ALREADY_EXISTS'
  | 'CANCELLED'
  | 'TIMEOUT'
  | 'MODEL_ERROR';

export class MirageError extends Error {
  readonly code: MirageErrorCode;

  constructor(code: MirageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MirageError';
    this.code = code;
  }
}

export const isMirageError = (e: unknown): e is MirageError => e instanceof MirageError;

/** Errors that a retry cannot fix: the caller's input or a missing feature. */
export const isPermanent = (e: unknown): boolean =>
  isMirageError(e) && e.code !== 'TIMEOUT' && e.code !== 'MODEL_ERROR';

export const unknownArchive = (name: string) =>
  new MirageError('UNKNOWN_ARCHIVE', `Unknown archive "${name}". Run "mirage world create" or "mirage ingest" to make one, or list them with "mirage archives".`);

export const unknownSession = (id: string) =>
  new MirageError('UNKNOWN_SESSION', `Unknown session "${id}" (it never existed or it has expired).`);

export const invalidInput = (message: string) => new MirageError('INVALID_INPUT', message);

export const notSupported = (message: string) => new MirageError('NOT_SUPPORTED', message);
