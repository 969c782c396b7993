import { invalidInput } from '../errors.js';

/**
 * Every caller-given string that becomes part of a file path passes through here. The rules are
 * deliberately narrow (no separators, no leading dot, bounded length) so that no value can
 * escape its folder, hide as a dotfile, or collide with the store's own "." prefixed entries.
 */

/** Archive and sidecar names: lowercase so that case-insensitive file systems cannot merge two. */
const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
/** Image, session and blob ids. */
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function isArchiveName(name: string): boolean {
  return NAME.test(name);
}

export function assertArchiveName(name: unknown): asserts name is string {
  assertMatches('Archive name', name, NAME, 'lowercase letters, digits, ".", "_" and "-", starting with a letter or digit, at most 64 characters');
}

export function assertSidecarName(name: unknown): asserts name is string {
  assertMatches('Sidecar name', name, NAME, 'lowercase letters, digits, ".", "_" and "-", starting with a letter or digit, at most 64 characters');
}

/** `what` names the kind of id in the message ("Image id", "Session id", "Blob id"). */
export function assertSafeId(what: string, id: unknown): asserts id is string {
  assertMatches(what, id, ID, 'letters, digits, ".", "_" and "-", starting with a letter or digit, at most 128 characters');
}

function assertMatches(what: string, value: unknown, pattern: RegExp, rule: string): void {
  if (typeof value !== 'string') throw invalidInput(`${what} must be a string, got ${typeof value}.`);
  if (!pattern.test(value)) throw invalidInput(`${what} ${JSON.stringify(value)} is not allowed: use ${rule}.`);
}
