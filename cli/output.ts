import { CommanderError } from 'commander';
import { isMirageError, type MirageErrorCode } from '../core/errors.js';

/** Where a command writes; the real process streams, or buffers in tests. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Progress bars only make sense on a terminal; piped output stays clean. */
  readonly interactive: boolean;
}

export const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  interactive: process.stderr.isTTY === true,
};

export const EXIT = { ok: 0, failure: 1, badInput: 2, interrupted: 130 } as const;

/** Codes that mean "what you typed is wrong" rather than "something broke". */
const BAD_INPUT: ReadonlySet<MirageErrorCode> = new Set([
  'INVALID_INPUT',
  'UNKNOWN_ARCHIVE',
  'UNKNOWN_SESSION',
  'UNKNOWN_IMAGE',
  'IMAGE_REJECTED',
  'ALREADY_EXISTS',
  'SESSION_ENDED',
]);

export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
  if (isAbort(error)) return EXIT.interrupted;
  if (!isMirageError(error)) return EXIT.failure;
  return BAD_INPUT.has(error.code) ? EXIT.badInput : EXIT.failure;
}

/** One line on stderr: scripts read the exit code, people read the message. */
export function formatError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.replace(/\s*\n\s*/g, ' ').trim();
  return isMirageError(error) || isAbort(error) ? `error: ${line}` : `error: unexpected failure: ${line}`;
}

const isAbort = (error: unknown): boolean =>
  (isMirageError(error) && error.code === 'CANCELLED') || (error instanceof Error && error.name === 'AbortError');

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLines(io: CliIo, ...lines: readonly (string | undefined)[]): void {
  const text = lines.filter((l): l is string => l !== undefined).join('\n');
  io.stdout(`${text}\n`);
}
