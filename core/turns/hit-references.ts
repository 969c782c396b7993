import { invalidInput } from '../errors.js';
import type { Round, Session } from '../session/session.js';

/**
 * Front ends let people point at results the way they see them: "3" means hit #3 of the last
 * round (1-based, as numbered on the contact sheet); anything else is taken as an image id.
 */
const HIT_NUMBER = /^#?(\d+)$/;

/** Splits "3,5" or "3 5 #7" into references; an empty list is an error, not "no feedback". */
export function parseHitReferences(text: string, what = 'hit list'): string[] {
  const refs = text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (refs.length === 0) throw invalidInput(`The ${what} is empty; give hit numbers such as "3,5".`);
  return refs;
}

export function lastRound(session: Session): Round | undefined {
  return session.rounds[session.rounds.length - 1];
}

/** Resolves one reference against the session's last round; ids pass through unchanged. */
export function resolveHitReference(session: Session, ref: string): string {
  const trimmed = ref.trim();
  const number = HIT_NUMBER.exec(trimmed)?.[1];
  if (number === undefined) {
    if (trimmed.length === 0) throw invalidInput('An empty hit reference was given.');
    return trimmed;
  }
  const round = lastRound(session);
  if (!round) {
    throw invalidInput(`Hit #${number} refers to the previous round, but session "${session.id}" has no rounds yet.`);
  }
  const hit = round.hits[Number(number) - 1];
  if (!hit) {
    // An id that merely looks like a number is still accepted if it was actually shown.
    if (session.rounds.some((r) => r.hits.some((h) => h.id === trimmed))) return trimmed;
    throw invalidInput(
      `There is no hit #${number}: round ${round.index + 1} of session "${session.id}" showed ${round.hits.length} hit${round.hits.length === 1 ? '' : 's'} (#1-#${round.hits.length}).`,
    );
  }
  return hit.id;
}

/** Resolves several references, keeping the first occurrence of each image. */
export function resolveHitReferences(session: Session, refs: readonly string[]): string[] {
  return [...new Set(refs.map((ref) => resolveHitReference(session, ref)))];
}
